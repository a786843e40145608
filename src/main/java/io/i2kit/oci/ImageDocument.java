package io.i2kit.oci;

/** What a manifest reference points to: either an image manifest or an index of them. */
public sealed interface ImageDocument permits ImageManifest, ImageIndex {
    String mediaType();
}
