package io.i2kit.oci;

import java.util.List;

/** A platform-specific image manifest (OCI or Docker schema 2): one config and its layers, in order. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) implements ImageDocument {
    public ImageManifest {
        layers = List.copyOf(layers);
    }
}
