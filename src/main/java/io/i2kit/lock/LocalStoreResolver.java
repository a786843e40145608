package io.i2kit.lock;

import io.i2kit.manifest.ImageReference;
import io.i2kit.store.I2kitHome;
import io.i2kit.store.ImageIndex;
import java.nio.file.Path;
import java.util.Optional;

/** Resolves {@code i2kit.local/<name>:<tag>} through the local store's index.json, where {@code i2kit bootstrap} tags them. */
public final class LocalStoreResolver implements DigestResolver {
    public static final String REGISTRY = "i2kit.local";
    private final I2kitHome home;

    public LocalStoreResolver(I2kitHome home) {
        this.home = home;
    }

    @Override
    public Optional<String> resolve(ImageReference reference, Path manifestDirectory) {
        if (reference.source() != ImageReference.Source.REGISTRY || !REGISTRY.equals(reference.registry())) {
            return Optional.empty();
        }
        String name = REGISTRY + "/" + reference.repository() + ":" + (reference.tag() == null ? "latest" : reference.tag());
        // Absent means not built yet: the Locker reports it among the unresolved references.
        return ImageIndex.of(home).find(name).map(d -> d.digest().toString());
    }
}
