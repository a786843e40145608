package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.discovery.Discovery;
import io.i2kit.event.Event;
import io.i2kit.event.Progress;
import io.i2kit.image.Compression;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageReference;
import io.i2kit.oci.ImageSource;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.testing.InlineManifest;
import io.i2kit.testing.StoreImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build reads each image's config for real and warns, per service, about a declared VOLUME that
 * no mount covers: the same image mounted in one service and not in the other warns once.
 */
class ImageVolumeWarningTest {
    @TempDir
    Path tmp;

    @Test
    void aDeclaredVolumeWithoutAMountIsAWarningOfItsService() {
        Path dir = InlineManifest.app(tmp.resolve("app"), """
                name: shop
                services:
                  cache:
                    containers:
                      redis: {image: "redis:7", ports: ["tcp:6379"]}
                  db:
                    volumes: {data: {size: 1GiB}}
                    containers:
                      redis: {image: "redis:7", ports: ["tcp:6379"], mounts: ["data:/data"]}
                """);
        Discovery discovery = Pipeline.validate(Pipeline.load(dir, Optional.empty()));
        I2kitHome home = new I2kitHome(tmp.resolve("home"));
        ApplicationBuilder.Result result = new ApplicationBuilder(home, new ImageSources(List.of(new StandIns(home))),
                Progress.NONE).build(discovery, new LockFile(Map.of()),
                new ApplicationBuilder.Options(Compression.GZIP, false, Set.of()));

        assertThat(result.images()).hasSize(2);
        assertThat(result.warnings()).containsExactly(new Event.Note(Event.Phase.BUILD, Event.Level.WARNING,
                Optional.of("cache"), "warning: container redis: image docker.io/library/redis:7 declares VOLUME /data, which no mount "
                        + "covers: what it writes there is lost whenever the VM is replaced; add a volume to the "
                        + "service and mounts: [\"NAME:/data\"] to keep it"));
    }

    /** Small single-layer images; redis declares VOLUME /data, as Docker Hub's does. */
    private record StandIns(I2kitHome home) implements ImageSource {
        @Override
        public Optional<Digest> resolve(ImageReference reference) {
            return Optional.of(Digest.of((reference + "#manifest").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                          Progress progress) {
            String name = reference.toString().replaceFirst("@sha256:[0-9a-f]+$", "");
            FileTree tree = new FileTree();
            String file = name.contains("kernel") ? "kernel" : "bin/" + name.replaceAll("[^a-z0-9]+", "-");
            tree.addFile(file, Meta.of(0755), name.getBytes(StandardCharsets.UTF_8));
            List<String> volumes = name.contains("redis") ? List.of("/data") : List.of();
            return Optional.of(StoreImages.image(home.blobs(), name, tree, List.of("/" + file), Map.of(), volumes));
        }
    }
}
