package io.i2kit.oci;

import io.i2kit.event.Progress;
import io.i2kit.oci.ImageReference;
import java.util.Optional;

/**
 * Where images come from: a registry, an OCI layout on disk, a docker archive, the local store.
 * Each source answers empty for references it does not serve; pulling stores every blob in the
 * blob store, verified against its digest while it streams in.
 */
public interface ImageSource {
    /** The manifest digest {@code reference} points to now, without fetching layers. */
    Optional<Digest> resolve(ImageReference reference);

    /**
     * Fetches the image for {@code platform}. When {@code pinned} is given (from the lock), the
     * manifest must have exactly that digest.
     */
    Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform, Progress progress);
}
