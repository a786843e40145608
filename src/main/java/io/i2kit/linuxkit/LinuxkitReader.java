package io.i2kit.linuxkit;

import io.i2kit.InvalidInputException;
import io.i2kit.ProblemReportException;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import io.i2kit.yaml.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads LinuxKit YAML — i2kit's own renderings and LinuxKit's examples alike — into a
 * {@link LinuxkitTemplate}. Fields i2kit's builder cannot honour are refused by name rather than
 * ignored, so an image never silently differs from its description.
 */
public final class LinuxkitReader {
    private static final Set<String> TOP = Set.of("kernel", "init", "onboot", "services", "files", "trust");
    private static final Set<String> KERNEL = Set.of("image", "cmdline");
    private static final Set<String> CONTAINER = Set.of("name", "image", "command", "env", "capabilities",
            "capabilities.add", "binds", "binds.add", "tmpfs", "net", "pid", "readonly", "cwd", "uid", "gid");
    private static final Set<String> FILE = Set.of("path", "contents", "mode");

    private final String label;
    private final List<String> errors = new ArrayList<>();

    private LinuxkitReader(String label) {
        this.label = label;
    }

    public static LinuxkitTemplate read(String yaml, String label) {
        LinuxkitReader reader = new LinuxkitReader(label);
        List<YamlNode> docs = new YamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), label);
        if (docs.size() != 1 || !(docs.get(0) instanceof Mapping root)) {
            throw new InvalidInputException(Position.unknown(label), "expected one LinuxKit YAML document (a map)");
        }
        LinuxkitTemplate template = reader.template(root);
        if (!reader.errors.isEmpty()) {
            throw new ProblemReportException(String.join("\n", reader.errors) + "\n" + reader.errors.size()
                    + (reader.errors.size() == 1 ? " error in " : " errors in ") + label);
        }
        return template;
    }

    /**
     * The defaults a LinuxKit package keeps in its {@code org.mobyproject.config} label (JSON, which
     * YAML reads). Keys the builder cannot honour are returned in {@code ignored}, for a warning:
     * a package asking for more than i2kit grants still builds, with less privilege.
     */
    public static Label readLabel(String json, String image) {
        LinuxkitReader reader = new LinuxkitReader(image + " (org.mobyproject.config)");
        List<YamlNode> docs = new YamlReader().read(json.getBytes(StandardCharsets.UTF_8), reader.label);
        if (docs.isEmpty() || !(docs.get(0) instanceof Mapping m)) {
            return new Label(ContainerTemplate.of("", image), List.of());
        }
        List<String> ignored = m.entries().keySet().stream().filter(k -> !CONTAINER.contains(k)).sorted().toList();
        Mapping supported = new Mapping(filter(m), java.util.Map.of(), m.position());
        ContainerTemplate t = reader.container(supported, "label", true);
        if (!reader.errors.isEmpty()) {
            throw new ProblemReportException(String.join("\n", reader.errors));
        }
        return new Label(t, ignored);
    }

    /** A package's label defaults, and the keys of it that i2kit ignores. */
    public record Label(ContainerTemplate defaults, List<String> ignored) {
    }

    private static java.util.Map<String, YamlNode> filter(Mapping m) {
        java.util.Map<String, YamlNode> kept = new java.util.LinkedHashMap<>();
        m.entries().forEach((k, v) -> {
            if (CONTAINER.contains(k)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private LinuxkitTemplate template(Mapping root) {
        keys(root, "", TOP);
        Mapping kernel = root.get("kernel").filter(Mapping.class::isInstance).map(Mapping.class::cast).orElse(null);
        if (kernel == null) {
            error(root, "kernel", "missing; expected kernel.image and kernel.cmdline");
            kernel = new Mapping(java.util.Map.of(), java.util.Map.of(), root.position());
        }
        keys(kernel, "kernel", KERNEL);
        LinuxkitTemplate.Kernel k = new LinuxkitTemplate.Kernel(string(kernel, "image", "kernel").orElse(""),
                string(kernel, "cmdline", "kernel").orElse(""));
        List<String> init = root.get("init").map(n -> strings(n, "init")).orElse(List.of());
        List<ContainerTemplate> onboot = containers(root, "onboot");
        List<ContainerTemplate> services = containers(root, "services");
        List<LinuxkitTemplate.FileTemplate> files = new ArrayList<>();
        root.get("files").ifPresent(n -> items(n, "files").forEach(item -> file(item).ifPresent(files::add)));
        return new LinuxkitTemplate(k, init, onboot, services, files);
    }

    private List<ContainerTemplate> containers(Mapping root, String key) {
        List<ContainerTemplate> out = new ArrayList<>();
        root.get(key).ifPresent(n -> {
            List<Mapping> items = items(n, key);
            for (int i = 0; i < items.size(); i++) {
                out.add(container(items.get(i), key + "[" + i + "]", false));
            }
        });
        return out;
    }

    private ContainerTemplate container(Mapping m, String path, boolean label) {
        keys(m, path, CONTAINER);
        String name = string(m, "name", path).orElseGet(() -> {
            if (!label) {
                error(m, path + ".name", "missing");
            }
            return "";
        });
        String image = string(m, "image", path).orElseGet(() -> {
            if (!label) {
                error(m, path + ".image", "missing");
            }
            return "";
        });
        return new ContainerTemplate(name, image, list(m, "command", path), list(m, "env", path),
                list(m, "capabilities", path), list(m, "capabilities.add", path).orElse(List.of()),
                list(m, "binds", path), list(m, "binds.add", path).orElse(List.of()),
                list(m, "tmpfs", path).orElse(List.of()), string(m, "net", path), string(m, "pid", path),
                string(m, "readonly", path).map(Boolean::parseBoolean), string(m, "cwd", path), string(m, "uid", path),
                string(m, "gid", path));
    }

    private Optional<LinuxkitTemplate.FileTemplate> file(Mapping m) {
        keys(m, "files", FILE);
        Optional<String> path = string(m, "path", "files");
        if (path.isEmpty()) {
            error(m, "files.path", "missing");
            return Optional.empty();
        }
        return Optional.of(new LinuxkitTemplate.FileTemplate(path.get(), string(m, "contents", "files").orElse(""),
                string(m, "mode", "files").orElse("0644")));
    }

    private void keys(Mapping m, String path, Set<String> allowed) {
        for (String key : m.entries().keySet()) {
            if (!allowed.contains(key)) {
                errors.add(m.keyPosition(key) + ": error: " + (path.isEmpty() ? "" : path + ".") + key
                        + ": not supported by i2kit's builder; supported here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private Optional<String> string(Mapping m, String key, String path) {
        return m.get(key).flatMap(n -> {
            if (n instanceof Scalar s) {
                return s.isNull() ? Optional.empty() : Optional.of(s.value());
            }
            error(n, path + "." + key, "expected a string, found " + n.kind());
            return Optional.empty();
        });
    }

    private Optional<List<String>> list(Mapping m, String key, String path) {
        return m.get(key).map(n -> strings(n, path + "." + key));
    }

    private List<String> strings(YamlNode n, String path) {
        if (!(n instanceof Sequence seq)) {
            error(n, path, "expected a list, found " + n.kind());
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : seq.items()) {
            if (item instanceof Scalar s) {
                out.add(s.value());
            } else {
                error(item, path, "expected a string, found " + item.kind());
            }
        }
        return out;
    }

    private List<Mapping> items(YamlNode n, String path) {
        List<Mapping> out = new ArrayList<>();
        if (!(n instanceof Sequence seq)) {
            error(n, path, "expected a list, found " + n.kind());
            return out;
        }
        for (YamlNode item : seq.items()) {
            if (item instanceof Mapping m) {
                out.add(m);
            } else {
                error(item, path, "expected a map, found " + item.kind());
            }
        }
        return out;
    }

    private void error(YamlNode at, String path, String message) {
        errors.add(at.position() + ": error: " + path + ": " + message);
    }
}
