package io.i2kit.oci;

import java.util.Map;
import java.util.Optional;

/** OCI's content descriptor: what a manifest or index says about a blob it points to. */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
                         Optional<Platform> platform) {
    public Descriptor {
        annotations = Map.copyOf(annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty());
    }
}
