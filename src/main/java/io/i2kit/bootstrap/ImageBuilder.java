package io.i2kit.bootstrap;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.bootstrap.debian.DebArchive;
import io.i2kit.bootstrap.debian.DebFetcher;
import io.i2kit.bootstrap.debian.DebPackage;
import io.i2kit.bootstrap.debian.DependencyResolver;
import io.i2kit.bootstrap.debian.PackageIndex;
import io.i2kit.bootstrap.image.ImageSettings;
import io.i2kit.bootstrap.image.TreePruner;
import io.i2kit.bootstrap.kernel.KernelLayout;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one builder behind every recipe: resolve the packages, unpack them, shape the tree as the
 * recipe says, and describe the result. Planning needs only the package index, so an unchanged
 * image is recognised without downloading anything.
 */
final class ImageBuilder {
    /** Bumped when the builder's output changes for the same inputs, so old build records stop matching. */
    static final String BUILDER_VERSION = "i2kit-bootstrap-3";
    static final String LABEL_PREFIX = "io.i2kit.debian.package.";

    private final PackageIndex index;
    private final DebFetcher fetcher;
    private final Progress progress;

    ImageBuilder(PackageIndex index, DebFetcher fetcher, Progress progress) {
        this.index = index;
        this.fetcher = fetcher;
        this.progress = progress;
    }

    /** What a build will use, and the key that identifies its output. */
    record Plan(Recipe recipe, Path recipeDirectory, List<DebPackage> packages, Map<String, OverlayFiles.File> files, Digest key) {
        Plan {
            packages = List.copyOf(packages);
        }

        /** Package name to version, the labels the image records its origin with. */
        java.util.SortedMap<String, String> packageVersions() {
            java.util.SortedMap<String, String> versions = new TreeMap<>();
            packages.forEach(p -> versions.put(p.name(), p.version().toString()));
            return versions;
        }
    }

    record Built(FileTree tree, ImageSettings settings) {
    }

    Plan plan(Recipe recipe, Path recipeDirectory) {
        DependencyResolver.Resolution resolution = new DependencyResolver(index)
                .resolve(recipe.packages(), recipe.exclude(), recipe.followDepends());
        Map<String, OverlayFiles.File> files = recipe.files().map(f -> OverlayFiles.read(f, recipeDirectory)).orElse(Map.of());
        MessageDigest key = Digest.sha256();
        line(key, BUILDER_VERSION);
        key.update(recipe.text());
        line(key, "");
        resolution.packages().forEach(p -> line(key, p.name() + " " + p.version() + " " + p.sha256()));
        files.forEach((path, file) -> line(key, path + " " + Integer.toOctalString(file.mode()) + " " + Digest.of(file.content())));
        if (recipe.busyboxLinks()) {
            line(key, String.join(",", BusyboxApplets.names()));
        }
        return new Plan(recipe, recipeDirectory, resolution.packages(), files, Digest.of(key));
    }

    Built build(Plan plan) {
        Recipe r = plan.recipe();
        FileTree tree = new FileTree();
        for (DebPackage p : plan.packages()) {
            DebArchive.unpack(fetcher.fetch(p, progress), tree);
        }
        if (!r.keep().isEmpty()) {
            TreePruner.keepOnly(tree, r.keep());
            for (String glob : r.keep()) {
                if (!glob.contains("*") && tree.get(glob).isEmpty()) {
                    throw new I2kitException(r.source() + ": keep: " + glob + " is in none of the packages "
                            + plan.packageVersions().keySet() + "; did the package move it?");
                }
            }
        }
        TreePruner.drop(tree, r.drop());
        r.move().forEach((from, to) -> {
            try {
                tree.move(from, to);
            } catch (I2kitException e) {
                throw new InvalidInputException(r.source() + ": move: " + e.getMessage());
            }
        });
        if (r.busyboxLinks()) {
            BusyboxApplets.link(tree);
        }
        plan.files().forEach((path, file) -> tree.addFile(path, Meta.of(file.mode()), file.content()));
        r.directories().forEach((dir, mode) -> {
            if ((mode & ~07777) != 0) {
                throw new InvalidInputException(r.source() + ": directories: " + dir + ": " + Integer.toOctalString(mode)
                        + " is not a permission mode (at most 7777)");
            }
            tree.addDirectory(dir, Meta.of(mode));
        });
        Map<String, String> labels = new TreeMap<>();
        plan.packageVersions().forEach((name, version) -> labels.put(LABEL_PREFIX + name, version));
        if (r.kernel().isPresent()) {
            KernelLayout.Result kernel = KernelLayout.build(tree, r.kernel().get().required(), r.kernel().get().optional());
            labels.put("io.i2kit.kernel.release", kernel.release());
            labels.put("io.i2kit.kernel.modules", String.join(",", kernel.modules().order()));
            return new Built(kernel.tree(), r.config().withLabels(labels));
        }
        return new Built(tree, r.config().withLabels(labels));
    }

    private static void line(MessageDigest d, String text) {
        d.update((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** busybox's applets, linked as {@code busybox --install -s /bin} would, without overwriting package files. */
    static final class BusyboxApplets {
        private BusyboxApplets() {
        }

        static List<String> names() {
            try (InputStream in = ImageBuilder.class.getResourceAsStream("busybox-applets.txt")) {
                List<String> names = new ArrayList<>();
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!l.isBlank() && !l.startsWith("#")) {
                        names.add(l.strip());
                    }
                }
                return names;
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("i2kit is missing its resource busybox-applets.txt", e);
            }
        }

        static void link(FileTree tree) {
            if (tree.get("bin/busybox").isEmpty()) {
                throw new I2kitException("busybox-links: the image has no /bin/busybox; add busybox-static to its packages");
            }
            for (String applet : names()) {
                if (tree.get("bin/" + applet).isEmpty()) {
                    tree.addSymlink("bin/" + applet, Meta.of(0777), "busybox");
                }
            }
        }
    }
}
