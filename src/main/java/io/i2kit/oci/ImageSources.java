package io.i2kit.oci;

import io.i2kit.event.Progress;
import io.i2kit.oci.ImageReference;
import io.i2kit.oci.layout.DockerArchiveSource;
import io.i2kit.oci.layout.LocalStoreSource;
import io.i2kit.oci.layout.OciLayoutSource;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.registry.RegistrySource;
import io.i2kit.oci.store.BlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every image source, asked in order; the first that serves a reference answers. The
 * {@code require…} methods turn "no source serves this" into a clear error for callers that need
 * an image.
 */
public final class ImageSources implements ImageSource {
    private final List<ImageSource> sources;

    public ImageSources(List<ImageSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The local store of the base packages i2kit built, OCI layouts and docker archives (paths
     * relative to {@code manifestDirectory}), then registries.
     */
    public static ImageSources standard(I2kitHome home, Path manifestDirectory, RegistrySettings registries) {
        BlobStore store = home.blobs();
        return new ImageSources(List.of(new LocalStoreSource(home, store), new OciLayoutSource(store, manifestDirectory),
                new DockerArchiveSource(store, manifestDirectory), new RegistrySource(store, registries)));
    }

    @Override
    public Optional<Digest> resolve(ImageReference reference) {
        return first(s -> s.resolve(reference));
    }

    @Override
    public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                      Progress progress) {
        return first(s -> s.pull(reference, pinned, platform, progress));
    }

    public Digest requireDigest(ImageReference reference) {
        return resolve(reference).orElseThrow(() -> unserved(reference));
    }

    public PulledImage requireImage(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                    Progress progress) {
        return pull(reference, pinned, platform, progress).orElseThrow(() -> unserved(reference));
    }

    private <T> Optional<T> first(Function<ImageSource, Optional<T>> ask) {
        for (ImageSource s : sources) {
            Optional<T> answer = ask.apply(s);
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    private ImageNotFoundException unserved(ImageReference reference) {
        return new ImageNotFoundException("no image source serves " + reference + " (asked: "
                + String.join(", ", sources.stream().map(s -> s.getClass().getSimpleName()).toList())
                + "); i2kit.local/… images are built by i2kit itself, other references name a registry, "
                + "oci:DIR[:TAG] or docker-archive:FILE");
    }
}
