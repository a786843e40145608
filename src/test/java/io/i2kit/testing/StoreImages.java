package io.i2kit.testing;

import io.i2kit.image.FileTree;
import io.i2kit.image.TarWriter;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageConfig;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Single-layer images written from a {@link FileTree} straight into a blob store, for tests that need
 * pulled images without a registry.
 */
public final class StoreImages {
    private StoreImages() {
    }

    public static PulledImage image(BlobStore blobs, String reference, FileTree rootfs, List<String> cmd,
                                    Map<String, String> labels) {
        return image(blobs, reference, rootfs, cmd, labels, List.of());
    }

    /** An image whose config declares {@code VOLUME} for each of {@code volumes}. */
    public static PulledImage image(BlobStore blobs, String reference, FileTree rootfs, List<String> cmd,
                                    Map<String, String> labels, List<String> volumes) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            TarWriter.write(rootfs, tar);
            Digest diffId = Digest.of(tar.toByteArray());
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar.toByteArray());
            }
            Digest layer = blobs.put(gz.toByteArray(), reference + " layer");
            ImageConfig config = new ImageConfig(Platform.LINUX_AMD64, List.of(), cmd, List.of("PATH=/bin"),
                    Optional.empty(), Optional.empty(), labels, List.of(diffId), volumes);
            Digest configDigest = blobs.put(reference.getBytes(java.nio.charset.StandardCharsets.UTF_8), "config");
            return new PulledImage(reference, Digest.of((reference + "#manifest").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    configDigest, config, List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer, gz.size())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
