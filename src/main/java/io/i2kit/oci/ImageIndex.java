package io.i2kit.oci;

import java.util.List;

/** An OCI image index or Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) implements ImageDocument {
    public ImageIndex {
        manifests = List.copyOf(manifests);
    }
}
