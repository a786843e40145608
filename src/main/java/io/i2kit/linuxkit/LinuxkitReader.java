package io.i2kit.linuxkit;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.Problems;
import io.i2kit.yaml.ProblemsException;
import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Sequence;
import io.i2kit.yaml.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Reads LinuxKit YAML — i2kit's own renderings and LinuxKit's examples alike — into a
 * {@link LinuxkitTemplate}, reporting every problem at once. Fields i2kit's builder cannot honour
 * are refused by name rather than ignored, so an image never silently differs from its description.
 */
public final class LinuxkitReader {
    private static final Set<String> TOP = Set.of("kernel", "init", "onboot", "services", "files", "trust");
    private static final Set<String> KERNEL = Set.of("image", "cmdline");
    private static final Set<String> CONTAINER = Set.of("name", "image", "command", "env", "capabilities",
            "capabilities.add", "binds", "binds.add", "tmpfs", "net", "pid", "readonly", "cwd", "uid", "gid");
    private static final Set<String> FILE = Set.of("path", "contents", "mode");

    private final Binder in;

    private LinuxkitReader(Binder in) {
        this.in = in;
    }

    /** The template {@code yaml} describes; any problem in it fails the read with all the others, in one {@link ProblemsException}. */
    public static LinuxkitTemplate read(String yaml, String label) {
        Problems problems = new Problems();
        LinuxkitReader reader = new LinuxkitReader(new Binder(problems, new SourceMap(label)));
        List<YamlNode> docs = new YamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), label);
        Optional<LinuxkitTemplate> template = reader.document(docs, label);
        problems.throwIfErrors(label);
        return template.orElseThrow();
    }

    /**
     * The defaults a LinuxKit package keeps in its {@code org.mobyproject.config} label (JSON, which
     * YAML reads). Keys the builder cannot honour are returned in {@code ignored}, for a warning:
     * a package asking for more than i2kit grants still builds, with less privilege.
     */
    public static Label readLabel(String json, String image) {
        String label = image + " (org.mobyproject.config)";
        Problems problems = new Problems();
        LinuxkitReader reader = new LinuxkitReader(new Binder(problems, new SourceMap(label)));
        List<YamlNode> docs = new YamlReader().read(json.getBytes(StandardCharsets.UTF_8), label);
        if (docs.isEmpty() || !(docs.get(0) instanceof Mapping m)) {
            return new Label(ContainerTemplate.of("", image), List.of());
        }
        List<String> ignored = Binder.otherKeys(m, CONTAINER).stream().sorted().toList();
        ContainerTemplate defaults = reader.container(m, "", true);
        problems.throwIfErrors(label);
        return new Label(defaults, ignored);
    }

    /** A package's label defaults, and the keys of it that i2kit ignores. */
    public record Label(ContainerTemplate defaults, List<String> ignored) {
    }

    private Optional<LinuxkitTemplate> document(List<YamlNode> docs, String label) {
        if (docs.isEmpty()) {
            in.error(Position.unknown(label), "", "expected one LinuxKit YAML document (a map), found none");
            return Optional.empty();
        }
        if (docs.size() > 1) {
            in.error(docs.get(1), "", "expected one LinuxKit YAML document, found " + docs.size());
        }
        return in.mapping(docs.get(0), "").map(this::template);
    }

    private LinuxkitTemplate template(Mapping root) {
        refuseUnsupported(root, "", TOP);
        LinuxkitTemplate.Kernel kernel = kernel(root);
        List<String> init = in.stringList(root, "init", "");
        List<ContainerTemplate> onboot = containers(root, "onboot");
        List<ContainerTemplate> services = containers(root, "services");
        List<LinuxkitTemplate.FileTemplate> files = new ArrayList<>();
        in.value(root, "files", "").ifPresent(n -> eachMap(n, "files", (m, path) -> file(m, path).ifPresent(files::add)));
        return new LinuxkitTemplate(kernel, init, onboot, services, files);
    }

    private LinuxkitTemplate.Kernel kernel(Mapping root) {
        Optional<YamlNode> node = in.value(root, "kernel", "");
        if (node.isEmpty()) {
            in.error(root, "kernel", "missing; expected kernel.image and kernel.cmdline");
        }
        return node.flatMap(n -> in.mapping(n, "kernel")).map(m -> {
            refuseUnsupported(m, "kernel", KERNEL);
            return new LinuxkitTemplate.Kernel(in.string(m, "image", "kernel").orElse(""),
                    in.string(m, "cmdline", "kernel").orElse(""));
        }).orElse(new LinuxkitTemplate.Kernel("", ""));
    }

    private List<ContainerTemplate> containers(Mapping root, String key) {
        List<ContainerTemplate> out = new ArrayList<>();
        in.value(root, key, "").ifPresent(n -> eachMap(n, key, (m, path) -> out.add(container(m, path, false))));
        return out;
    }

    /** A label only sets defaults, so it needs no name or image, and what it holds beyond them is the caller's to warn about. */
    private ContainerTemplate container(Mapping m, String path, boolean label) {
        if (!label) {
            refuseUnsupported(m, path, CONTAINER);
        }
        String name = label ? in.string(m, "name", path).orElse("")
                : Optional.ofNullable(in.required(m, "name", path, "the container's name")).orElse("");
        String image = label ? in.string(m, "image", path).orElse("")
                : Optional.ofNullable(in.required(m, "image", path, "an image reference")).orElse("");
        return new ContainerTemplate(name, image, list(m, "command", path), list(m, "env", path),
                list(m, "capabilities", path), in.stringList(m, "capabilities.add", path),
                list(m, "binds", path), in.stringList(m, "binds.add", path), in.stringList(m, "tmpfs", path),
                in.string(m, "net", path), in.string(m, "pid", path), in.bool(m, "readonly", path),
                in.string(m, "cwd", path), in.string(m, "uid", path), in.string(m, "gid", path));
    }

    private Optional<LinuxkitTemplate.FileTemplate> file(Mapping m, String path) {
        refuseUnsupported(m, path, FILE);
        String target = in.required(m, "path", path, "the file's path in the image");
        return Optional.ofNullable(target).map(t -> new LinuxkitTemplate.FileTemplate(t,
                in.string(m, "contents", path).orElse(""), in.string(m, "mode", path).orElse("0644")));
    }

    /** Absent and empty differ: an empty list overrides the image's label, an absent one keeps it. */
    private Optional<List<String>> list(Mapping m, String key, String path) {
        return in.value(m, key, path).map(n -> in.stringList(n, Binder.child(path, key)));
    }

    private void eachMap(YamlNode node, String path, BiConsumer<Mapping, String> action) {
        if (!(node instanceof Sequence seq)) {
            in.error(node, path, "expected a list of maps, found " + Binder.describe(node));
            return;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            String itemPath = Binder.item(path, i);
            in.mapping(seq.items().get(i), itemPath).ifPresent(m -> action.accept(m, itemPath));
        }
    }

    private void refuseUnsupported(Mapping m, String path, Set<String> supported) {
        for (String key : Binder.otherKeys(m, supported)) {
            in.error(m.keyPosition(key), Binder.child(path, key), "not supported by i2kit's builder; supported here: "
                    + String.join(", ", new TreeSet<>(supported)));
        }
    }
}
