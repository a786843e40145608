package io.i2kit.oci;

import java.util.List;

/**
 * An image whose manifest, config and layers are all in the local blob store, verified.
 *
 * @param reference      what was asked for, as the user wrote it (canonical form)
 * @param manifestDigest the digest of the platform-specific manifest (what a lock pins)
 * @param layers         the layer descriptors in application order (compressed blobs)
 */
public record PulledImage(String reference, Digest manifestDigest, Digest configDigest, ImageConfig config,
                          List<Descriptor> layers) {
    public PulledImage {
        layers = List.copyOf(layers);
    }
}
