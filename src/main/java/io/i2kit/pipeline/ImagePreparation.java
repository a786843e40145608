package io.i2kit.pipeline;

import io.i2kit.event.Event;
import io.i2kit.event.Events;
import io.i2kit.bootstrap.Bootstrap;
import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.lock.LockFile;
import io.i2kit.manifest.Container;
import io.i2kit.oci.ImageReference;
import io.i2kit.manifest.Service;
import io.i2kit.oci.ImageSources;
import io.i2kit.event.Progress;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.oci.store.TagIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a release needs before a provider: the base packages and the example images (built when
 * missing, saying so), and every service's image, with new digests recorded in the lock.
 */
final class ImagePreparation {
    private ImagePreparation() {
    }

    private static boolean missingBaseImage(TagIndex index) {
        return Bootstrap.BASE_IMAGES.stream().anyMatch(n -> index.find(Bootstrap.reference(n)).isEmpty());
    }

    /** Builds the offline base packages, and example images the manifest names, when missing. */
    static void bootstrapIfMissing(I2kitHome home, Pipeline.Loaded loaded, Events events) {
        // every base image, not only the kernel: a home bootstrapped before an image was added
        // (mke2fs) lacks it
        boolean base = !Files.exists(home.root().resolve("index.json"))
                || missingBaseImage(TagIndex.of(home));
        Path examples = null;
        java.util.Set<String> rebuilt = new java.util.HashSet<>();
        for (Service s : loaded.manifest().application().services()) {
            for (Container c : s.containers()) {
                ImageReference ref = c.image();
                if (ref.source() == ImageReference.Source.OCI_LAYOUT) {
                    Path layout = loaded.manifest().directory().resolve(ref.path()).normalize();
                    if (Files.exists(layout.resolveSibling("image.yml")) && stale(layout)) {
                        examples = layout.getParent().getParent();
                        rebuilt.add(ref.toString());
                    }
                }
            }
        }
        if (base || examples != null) {
            events.emit(Event.Note.info(Event.Phase.BOOTSTRAP, "building " + (base ? "the offline base packages" : "")
                    + (base && examples != null ? " and " : "") + (examples != null ? "the example images" : "")
                    + " from Debian's packages (once; i2kit bootstrap" + (examples != null ? " --examples" : "") + ")"));
            Bootstrap.Options options = Bootstrap.Options.defaults();
            Bootstrap.run(home, examples != null ? options.withExamples(examples) : options, events.progress());
            if (examples != null) {
                markBuilt(examples);
                // the lock pinned the example images as they were; the rebuilt ones are pinned afresh by this build
                LockFile lock = LockFile.read(loaded.manifest().lockFile());
                java.util.Map<String, String> kept = new java.util.TreeMap<>(lock.images());
                if (kept.keySet().removeAll(rebuilt)) {
                    new LockFile(kept).write(loaded.manifest().lockFile());
                }
            }
        }
    }

    /**
     * An example image not built yet, or built before its recipe last changed (a pull that changed
     * the redis recipe must not leave the old image under the new manifest). Bootstrap itself then
     * rebuilds only what its build records say changed.
     */
    private static boolean stale(Path layout) {
        Path index = layout.resolve("index.json");
        if (!Files.exists(index)) {
            return true;
        }
        try (var files = Files.walk(layout.getParent())) {
            long built = Files.getLastModifiedTime(index).toMillis();
            return files.filter(f -> !f.startsWith(layout) && Files.isRegularFile(f)).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > built;
                } catch (java.io.IOException e) {
                    return true;
                }
            });
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** The example layouts are as new as their recipes now, even where bootstrap found nothing to rebuild. */
    private static void markBuilt(Path examples) {
        try (var dirs = Files.list(examples)) {
            for (Path index : dirs.map(d -> d.resolve("oci").resolve("index.json")).filter(Files::exists).toList()) {
                Files.setLastModifiedTime(index, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
            }
        } catch (java.io.IOException e) {
            // the next up looks again
        }
    }
}
