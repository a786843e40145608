package io.i2kit.bootstrap;

import io.i2kit.I2kitException;
import io.i2kit.bootstrap.debian.AptSourcesReader;
import io.i2kit.bootstrap.debian.DebFetcher;
import io.i2kit.bootstrap.debian.PackageIndex;
import io.i2kit.bootstrap.image.ImageWriter;
import io.i2kit.bootstrap.image.Layer;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.Descriptor;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.oci.store.TagIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code i2kit bootstrap}: builds the offline profile's base images from Debian's packages into the
 * local store ({@code i2kit.local/<name>:bookworm}), and optionally the example images into their
 * own OCI layouts. Versions come from the machine's apt indexes at run time, never from i2kit.
 */
public final class Bootstrap {
    /**
     * The base images, in build order. The offline profile boots with crun; runc stays for manifests
     * and LinuxKit YAML that name it (the init uses whichever runtime its image has).
     */
    public static final List<String> BASE_IMAGES = List.of("kernel", "init", "mke2fs", "crun", "runc", "systemd-boot");
    public static final String EXAMPLE_TAG = "latest";

    private Bootstrap() {
    }

    /** The store reference of a base image. */
    public static String reference(String name) {
        return "i2kit.local/" + name + ":bookworm";
    }

    /**
     * @param etcApt      where the apt sources are ({@code /etc/apt})
     * @param aptLists    where apt keeps the verified indexes ({@code /var/lib/apt/lists})
     * @param debCache    where downloaded .deb files are kept, content-addressed (default: the store itself)
     * @param examples    a directory of {@code <name>/image.yml} recipes to build into {@code <name>/oci}, if any
     */
    public record Options(Path etcApt, Path aptLists, Optional<Path> debCache, Optional<Path> examples) {
        public static Options defaults() {
            return new Options(Path.of("/etc/apt"), Path.of("/var/lib/apt/lists"), Optional.empty(), Optional.empty());
        }

        public Options withExamples(Path directory) {
            return new Options(etcApt, aptLists, debCache, Optional.of(directory));
        }

        public Options withDebCache(Path directory) {
            return new Options(etcApt, aptLists, Optional.of(directory), examples);
        }
    }

    /**
     * One built image.
     *
     * @param name      {@code kernel}, ..., or the example's name
     * @param reference {@code i2kit.local/kernel:bookworm}, or {@code oci:<layout>:latest} for an example
     * @param layout    the OCI layout holding it (the store's root for base images)
     * @param size      bytes of manifest, config and layer in the layout
     * @param unchanged true when the same packages, recipe and files had built it already (nothing was done)
     * @param packages  Debian package name to version
     */
    public record Image(String name, String reference, Path layout, Descriptor manifest, long size, boolean unchanged,
                        SortedMap<String, String> packages) {
        public Image {
            packages = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(packages));
        }
    }

    public record Result(List<Image> base, List<Image> examples) {
        public Result {
            base = List.copyOf(base);
            examples = List.copyOf(examples);
        }
    }

    public static Result run(I2kitHome home, Options options, Progress progress) {
        PackageIndex index = PackageIndex.load(AptSourcesReader.read(options.etcApt()), options.aptLists(), "amd64");
        BlobStore cache = options.debCache().map(BlobStore::new).orElse(home.blobs());
        ImageBuilder builder = new ImageBuilder(index, new DebFetcher(cache), progress);
        BuildRecords records = new BuildRecords(home.builds().resolve("bootstrap"));
        List<Image> base = new ArrayList<>();
        for (String name : BASE_IMAGES) {
            Recipe recipe = RecipeReader.resource(name);
            base.add(build(builder, records, recipe, home.root(), reference(name), reference(name), Path.of(".")));
        }
        List<Image> examples = new ArrayList<>();
        if (options.examples().isPresent()) {
            for (Path file : exampleRecipes(options.examples().get())) {
                Recipe recipe = RecipeReader.read(file);
                Path layout = file.getParent().resolve("oci");
                examples.add(build(builder, records, recipe, layout, EXAMPLE_TAG, "oci:" + layout + ":" + EXAMPLE_TAG, file.getParent()));
            }
        }
        return new Result(base, examples);
    }

    /** Records each base image's digest in the lock at {@code lockFile}, keeping its other entries. */
    public static LockFile lock(Result result, Path lockFile) {
        Map<String, String> images = new TreeMap<>(LockFile.read(lockFile).images());
        result.base().forEach(i -> images.put(i.reference(), i.manifest().digest().toString()));
        LockFile lock = new LockFile(images);
        lock.write(lockFile);
        return lock;
    }

    private static Image build(ImageBuilder builder, BuildRecords records, Recipe recipe, Path layout, String tag,
                               String reference, Path recipeDirectory) {
        ImageBuilder.Plan plan = builder.plan(recipe, recipeDirectory);
        TagIndex index = new TagIndex(layout);
        BlobStore blobs = new BlobStore(layout);
        Optional<BuildRecords.Entry> previous = records.find(plan.key())
                .filter(e -> index.find(tag).map(d -> d.digest().equals(e.manifest().digest())).orElse(false))
                .filter(e -> blobs.has(e.manifest().digest()));
        if (previous.isPresent()) {
            return new Image(recipe.name(), reference, layout, previous.get().manifest(), previous.get().size(), true,
                    plan.packageVersions());
        }
        ImageBuilder.Built built = builder.build(plan);
        ImageWriter.Written written = ImageWriter.write(blobs, Layer.of(built.tree()), built.settings(), reference);
        long size = written.totalSize() + blobs.read(written.config()).length;
        index.tag(tag, written.manifest());
        records.save(plan.key(), new BuildRecords.Entry(written.manifest(), size));
        return new Image(recipe.name(), reference, layout, written.manifest(), size, false, plan.packageVersions());
    }

    private static List<Path> exampleRecipes(Path directory) {
        try (Stream<Path> dirs = Files.list(directory)) {
            List<Path> recipes = dirs.map(d -> d.resolve("image.yml")).filter(Files::isRegularFile).sorted().toList();
            if (recipes.isEmpty()) {
                throw new I2kitException("no example image recipes (<name>/image.yml) in " + directory);
            }
            return recipes;
        } catch (IOException e) {
            throw new I2kitException("cannot list the example images in " + directory + ": " + e.getMessage(), e);
        }
    }
}
