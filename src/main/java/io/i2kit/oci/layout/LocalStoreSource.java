package io.i2kit.oci.layout;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageNotFoundException;
import io.i2kit.oci.ImageSource;
import io.i2kit.oci.Platform;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.oci.store.I2kitHome;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code i2kit.local/<name>:<tag>}: images i2kit built itself ({@code i2kit bootstrap}), kept in
 * {@code $I2KIT_HOME}, which is an OCI layout whose index names them by their full reference.
 * Never sent to a registry.
 */
public final class LocalStoreSource implements ImageSource {
    public static final String REGISTRY = "i2kit.local";

    private final I2kitHome home;
    private final OciLayoutSource layout;

    public LocalStoreSource(I2kitHome home, BlobStore store) {
        this.home = home;
        this.layout = new OciLayoutSource(store, home.root());
    }

    @Override
    public Optional<Digest> resolve(ImageReference reference) {
        return local(reference).map(r -> explain(reference, () -> layout.resolve(r).orElseThrow()));
    }

    @Override
    public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                      Progress progress) {
        return local(reference).map(r -> explain(reference, () -> {
            PulledImage p = layout.pull(r, pinned, platform, progress).orElseThrow();
            return new PulledImage(reference.toString(), p.manifestDigest(), p.configDigest(), p.config(), p.layers());
        }));
    }

    private Optional<ImageReference> local(ImageReference reference) {
        if (reference.source() != ImageReference.Source.REGISTRY || !REGISTRY.equals(reference.registry())) {
            return Optional.empty();
        }
        String name = REGISTRY + "/" + reference.repository() + ":" + reference.tag();
        return Optional.of(new ImageReference(ImageReference.Source.OCI_LAYOUT, null, null, name, null,
                home.root().toString()));
    }

    private <T> T explain(ImageReference reference, Supplier<T> action) {
        try {
            return action.get();
        } catch (ImageNotFoundException e) {
            boolean empty = !java.nio.file.Files.exists(home.root().resolve("index.json"));
            throw new ImageNotFoundException(reference + " is not in the local store " + home.root()
                    + "; build the offline base packages with: i2kit bootstrap"
                    + (empty ? "" : " (" + e.getMessage() + ")"));
        }
    }
}
