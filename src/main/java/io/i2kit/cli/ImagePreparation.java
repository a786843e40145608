package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.bootstrap.Bootstrap;
import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.image.Compression;
import io.i2kit.lock.LockFile;
import io.i2kit.manifest.Container;
import io.i2kit.oci.ImageReference;
import io.i2kit.manifest.Service;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.Progress;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.oci.store.TagIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code up} and {@code plan} need before a provider: the base packages and the example images
 * (built when missing, saying so), enough memory for local VMs, and every service's image.
 */
final class ImagePreparation {
    private ImagePreparation() {
    }

    /** Builds the offline base packages, and example images the manifest names, when missing. */
    static void bootstrapIfMissing(I2kitHome home, Pipeline.Loaded loaded, PrintWriter err, Progress progress) {
        boolean base = !Files.exists(home.root().resolve("index.json"))
                || TagIndex.of(home).find(Bootstrap.reference("kernel")).isEmpty();
        Path examples = null;
        for (Service s : loaded.manifest().application().services()) {
            for (Container c : s.containers()) {
                ImageReference ref = c.image();
                if (ref.source() == ImageReference.Source.OCI_LAYOUT) {
                    Path layout = loaded.manifest().directory().resolve(ref.path()).normalize();
                    if (!Files.exists(layout.resolve("index.json")) && Files.exists(layout.resolveSibling("image.yml"))) {
                        examples = layout.getParent().getParent();
                    }
                }
            }
        }
        if (base || examples != null) {
            err.println("i2kit: building " + (base ? "the offline base packages" : "")
                    + (base && examples != null ? " and " : "") + (examples != null ? "the example images" : "")
                    + " from Debian's packages (once; i2kit bootstrap" + (examples != null ? " --examples" : "") + ")");
            err.flush();
            Bootstrap.Options options = Bootstrap.Options.defaults();
            Bootstrap.run(home, examples != null ? options.withExamples(examples) : options, progress);
        }
    }

    /** Refuses to start more replicas than this machine's available memory holds. */
    static void requireMemory(Discovery discovery) {
        long needed = discovery.application().services().stream()
                .mapToLong(s -> (long) s.replicas() * s.resources().memoryMiB()).sum();
        long available = availableMiB();
        if (available > 0 && needed > available * 9 / 10) {
            throw new I2kitException("the application needs " + needed + " MiB for its VMs (replicas x memory) but this "
                    + "machine has " + available + " MiB available; lower replicas or resources.memory");
        }
    }

    private static long availableMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Builds (or finds up to date) every service's image, recording new digests in the lock; with
     * {@code rawEfi} also its GPT disk (what an AMI is made of).
     */
    static Map<String, BuiltImage> build(I2kitHome home, Pipeline.Loaded loaded, Discovery discovery, Progress progress,
                                         boolean rawEfi) {
        ImageSources sources = ImageSources.standard(home, loaded.manifest().directory(),
                RegistrySettings.fromEnvironment(System.getenv()));
        LockFile lock = LockFile.read(loaded.manifest().lockFile());
        ApplicationBuilder.Result built = new ApplicationBuilder(home, sources, progress)
                .build(discovery, lock, new ApplicationBuilder.Options(Compression.GZIP, rawEfi, Set.of()));
        if (!built.lock().equals(lock)) {
            built.lock().write(loaded.manifest().lockFile());
        }
        Map<String, BuiltImage> images = new LinkedHashMap<>();
        built.images().forEach(i -> images.put(i.service(), i));
        return images;
    }
}
