package io.i2kit.bootstrap;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.bootstrap.image.ImageSettings;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code image.yml}. Every key is optional except {@code packages}:
 * <pre>
 * name: redis                       # default: the directory's name
 * packages: [redis-server]
 * depends: true                     # add the Depends closure (default true)
 * exclude: [libsystemd0]            # added to {@link #DEFAULT_EXCLUDE}
 * keep: [usr/bin/redis-*]           # globs; default everything
 * drop: [etc/redis]                 # globs; {@link #DEFAULT_DROP} always
 * move: {usr/sbin/runc: usr/bin/runc}
 * busybox-links: true               # /bin/APPLET -> busybox for every applet
 * files: src                        # copied over the root, relative to image.yml (or classpath:DIR)
 * directories: {/tmp: "1777", /data: "0755"}
 * kernel: {modules: [virtio_net], optional-modules: [vfat]}
 * config: {entrypoint: [], cmd: [], env: [], exposed-ports: [80/tcp], working-dir: /data, user: "0"}
 * </pre>
 */
public final class RecipeReader {
    /**
     * Packages a container or an init never runs: maintainer-script helpers (adduser, debconf,
     * ucf, perl for those scripts, dpkg), init-system glue (lsb-base, init-system-helpers, systemd).
     */
    public static final Set<String> DEFAULT_EXCLUDE = Set.of("adduser", "debconf", "debconf-2.0", "dpkg",
            "init-system-helpers", "lsb-base", "perl", "perl-base", "systemd", "systemd-sysv", "ucf");
    /** Documentation takes space and nothing reads it in an image. */
    public static final List<String> DEFAULT_DROP = List.of("usr/share/doc", "usr/share/man", "usr/share/info",
            "usr/share/lintian", "usr/share/bug");
    private static final Set<String> KEYS = Set.of("name", "packages", "depends", "exclude", "keep", "drop", "move",
            "busybox-links", "files", "directories", "kernel", "config");
    private static final Set<String> CONFIG_KEYS = Set.of("entrypoint", "cmd", "env", "exposed-ports", "working-dir", "user");

    private RecipeReader() {
    }

    public static Recipe read(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            return parse(Files.readAllBytes(file), file.toString(), dir.getFileName().toString());
        } catch (IOException e) {
            throw new I2kitException("cannot read the image recipe " + file + ": " + e.getMessage(), e);
        }
    }

    /** A recipe bundled with i2kit ({@code io/i2kit/bootstrap/recipes/<name>.yml}). */
    public static Recipe resource(String name) {
        String path = "recipes/" + name + ".yml";
        try (InputStream in = RecipeReader.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("i2kit is missing its resource " + path);
            }
            return parse(in.readAllBytes(), "classpath:io/i2kit/bootstrap/" + path, name);
        } catch (IOException e) {
            throw new I2kitException("cannot read i2kit's resource " + path + ": " + e.getMessage(), e);
        }
    }

    public static Recipe parse(byte[] text, String label, String defaultName) {
        List<YamlNode> docs = new YamlReader().read(text, label);
        if (docs.size() != 1 || !(docs.get(0) instanceof YamlNode.Mapping root)) {
            throw new InvalidInputException(Position.unknown(label), "an image recipe is one YAML map");
        }
        unknownKeys(root, KEYS, "");
        List<String> packages = strings(root, "packages");
        if (packages.isEmpty()) {
            throw new InvalidInputException(root.position(), "packages: list at least one Debian package");
        }
        Set<String> exclude = new LinkedHashSet<>(DEFAULT_EXCLUDE);
        exclude.addAll(strings(root, "exclude"));
        List<String> drop = new ArrayList<>(DEFAULT_DROP);
        drop.addAll(strings(root, "drop"));
        Map<String, Integer> directories = new TreeMap<>();
        stringMap(root, "directories").forEach((path, mode) -> {
            try {
                directories.put(path, Integer.parseInt(mode, 8));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(root.keyPosition("directories"), "directories." + path
                        + ": \"" + mode + "\" is not an octal mode such as \"0755\"");
            }
        });
        Optional<Recipe.KernelModules> kernel = root.get("kernel").map(k -> {
            YamlNode.Mapping m = mapping(k, "kernel");
            unknownKeys(m, Set.of("modules", "optional-modules"), "kernel.");
            return new Recipe.KernelModules(strings(m, "modules"), strings(m, "optional-modules"));
        });
        ImageSettings config = root.get("config").map(c -> {
            YamlNode.Mapping m = mapping(c, "config");
            unknownKeys(m, CONFIG_KEYS, "config.");
            return new ImageSettings(strings(m, "entrypoint"), strings(m, "cmd"), strings(m, "env"),
                    scalar(m, "working-dir"), scalar(m, "user"), strings(m, "exposed-ports"), new TreeMap<>());
        }).orElse(ImageSettings.NONE);
        return new Recipe(scalar(root, "name").orElse(defaultName), packages,
                scalar(root, "depends").map(Boolean::parseBoolean).orElse(true), exclude, strings(root, "keep"), drop,
                stringMap(root, "move"), scalar(root, "busybox-links").map(Boolean::parseBoolean).orElse(false),
                scalar(root, "files"), directories, kernel, config, label, text);
    }

    private static void unknownKeys(YamlNode.Mapping m, Set<String> known, String prefix) {
        for (String key : m.entries().keySet()) {
            if (!known.contains(key)) {
                throw new InvalidInputException(m.keyPosition(key), prefix + key + ": unknown key; known keys: "
                        + new java.util.TreeSet<>(known));
            }
        }
    }

    private static YamlNode.Mapping mapping(YamlNode n, String key) {
        if (n instanceof YamlNode.Mapping m) {
            return m;
        }
        throw new InvalidInputException(n.position(), key + ": expected a map, found " + n.kind());
    }

    private static Optional<String> scalar(YamlNode.Mapping m, String key) {
        return m.get(key).map(n -> {
            if (n instanceof YamlNode.Scalar s && !s.isNull()) {
                return s.value();
            }
            throw new InvalidInputException(n.position(), key + ": expected a value, found " + n.kind());
        });
    }

    private static List<String> strings(YamlNode.Mapping m, String key) {
        Optional<YamlNode> node = m.get(key);
        if (node.isEmpty()) {
            return List.of();
        }
        if (!(node.get() instanceof YamlNode.Sequence seq)) {
            throw new InvalidInputException(node.get().position(), key + ": expected a list, found " + node.get().kind());
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : seq.items()) {
            if (!(item instanceof YamlNode.Scalar s) || s.isNull()) {
                throw new InvalidInputException(item.position(), key + ": expected a list of strings, found " + item.kind());
            }
            out.add(s.value());
        }
        return out;
    }

    private static Map<String, String> stringMap(YamlNode.Mapping m, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        m.get(key).ifPresent(n -> mapping(n, key).entries().forEach((k, v) -> {
            if (!(v instanceof YamlNode.Scalar s) || s.isNull()) {
                throw new InvalidInputException(v.position(), key + "." + k + ": expected a value, found " + v.kind());
            }
            out.put(k, s.value());
        }));
        return out;
    }
}
