package io.i2kit.bootstrap;

import io.i2kit.I2kitException;
import io.i2kit.bootstrap.image.ImageSettings;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.Problems;
import io.i2kit.yaml.ProblemsException;
import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Sequence;
import io.i2kit.yaml.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
 * Every problem in a recipe is reported at once, with its position and key path.
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
    private static final Set<String> KERNEL_KEYS = Set.of("modules", "optional-modules");
    private static final Set<String> CONFIG_KEYS = Set.of("entrypoint", "cmd", "env", "exposed-ports", "working-dir", "user");
    private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");

    private final Binder in;

    private RecipeReader(Binder in) {
        this.in = in;
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

    /** The recipe {@code text} describes; any problem in it fails the read with all the others, in one {@link ProblemsException}. */
    public static Recipe parse(byte[] text, String label, String defaultName) {
        Problems problems = new Problems();
        RecipeReader reader = new RecipeReader(new Binder(problems, new SourceMap(label)));
        List<YamlNode> docs = new YamlReader().read(text, label);
        Optional<Recipe> recipe = reader.document(docs, label).map(root -> reader.recipe(root, label, defaultName, text));
        problems.throwIfErrors(label);
        return recipe.orElseThrow();
    }

    private Optional<Mapping> document(List<YamlNode> docs, String label) {
        if (docs.isEmpty()) {
            in.error(Position.unknown(label), "", "an image recipe is one YAML map; this file has none");
            return Optional.empty();
        }
        if (docs.size() > 1) {
            in.error(docs.get(1), "", "an image recipe is one YAML map; this file has " + docs.size() + " documents");
        }
        return in.mapping(docs.get(0), "");
    }

    private Recipe recipe(Mapping root, String label, String defaultName, byte[] text) {
        in.allowOnly(root, "", KEYS);
        Set<String> exclude = new LinkedHashSet<>(DEFAULT_EXCLUDE);
        exclude.addAll(in.stringList(root, "exclude", ""));
        List<String> drop = new ArrayList<>(DEFAULT_DROP);
        drop.addAll(in.stringList(root, "drop", ""));
        Optional<Recipe.KernelModules> kernel = in.value(root, "kernel", "").flatMap(n -> in.mapping(n, "kernel")).map(m -> {
            in.allowOnly(m, "kernel", KERNEL_KEYS);
            return new Recipe.KernelModules(in.stringList(m, "modules", "kernel"), in.stringList(m, "optional-modules", "kernel"));
        });
        return new Recipe(in.string(root, "name", "").orElse(defaultName), packages(root),
                in.bool(root, "depends", "").orElse(true), exclude, in.stringList(root, "keep", ""), drop,
                in.stringMap(root, "move", ""), in.bool(root, "busybox-links", "").orElse(false),
                in.string(root, "files", ""), directories(root), kernel, config(root), label, text);
    }

    private List<String> packages(Mapping root) {
        Optional<YamlNode> node = in.value(root, "packages", "");
        List<String> packages = node.map(n -> in.stringList(n, "packages")).orElse(List.of());
        if (node.isEmpty() || node.get() instanceof Sequence seq && seq.items().isEmpty()) {
            in.error(node.orElse(root), "packages", "list at least one Debian package");
        }
        return packages;
    }

    private Map<String, Integer> directories(Mapping root) {
        Map<String, Integer> directories = new TreeMap<>();
        in.stringMap(root, "directories", "").forEach((path, mode) -> {
            String at = Binder.child("directories", path);
            if (MODE.matcher(mode).matches()) {
                directories.put(path, Integer.parseInt(mode, 8));
            } else {
                in.error(in.sources().at(at), at, "\"" + mode + "\" is not an octal mode such as \"0755\"");
            }
        });
        return directories;
    }

    private ImageSettings config(Mapping root) {
        return in.value(root, "config", "").flatMap(n -> in.mapping(n, "config")).map(m -> {
            in.allowOnly(m, "config", CONFIG_KEYS);
            return new ImageSettings(in.stringList(m, "entrypoint", "config"), in.stringList(m, "cmd", "config"),
                    in.stringList(m, "env", "config"), in.string(m, "working-dir", "config"), in.string(m, "user", "config"),
                    in.stringList(m, "exposed-ports", "config"), new TreeMap<>());
        }).orElse(ImageSettings.NONE);
    }
}
