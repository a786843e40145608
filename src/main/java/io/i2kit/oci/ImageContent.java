package io.i2kit.oci;

import java.io.InputStream;

/**
 * Where an {@link ImagePuller} reads an image's documents and blobs: a registry's endpoints, a
 * layout's files. Implementations need not verify anything; the puller checks every digest.
 */
public interface ImageContent {
    /** The bytes of the manifest {@code descriptor} names. */
    byte[] manifest(Descriptor descriptor);

    /** A stream of the blob {@code descriptor} names; the caller closes it. */
    InputStream blob(Descriptor descriptor);
}
