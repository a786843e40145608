package io.i2kit.bootstrap.image;

import io.i2kit.I2kitException;
import io.i2kit.image.FileTree;
import io.i2kit.image.TarWriter;
import io.i2kit.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A tree as a gzip-compressed layer, with the digests OCI names it by. The tar is
 * {@link TarWriter}'s (path order, mtime 0, numeric owners) and the gzip header has no time and no
 * OS, so the same tree gives the same bytes, whoever builds it on whatever machine.
 */
public record Layer(byte[] gzip, Digest digest, Digest diffId) {
    /** "Unknown" in the gzip header's OS field: the same bytes whichever OS builds it. */
    static final int UNKNOWN_OS = 255;

    public static Layer of(FileTree tree) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        MessageDigest uncompressed = Digest.sha256();
        GzipParameters params = new GzipParameters();
        params.setModificationTime(0);
        params.setOperatingSystem(UNKNOWN_OS);
        try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(compressed, params);
             DigestOutputStream tar = new DigestOutputStream(gzip, uncompressed)) {
            TarWriter.write(tree, tar);
        } catch (IOException e) {
            throw new I2kitException("cannot compress a layer in memory: " + e.getMessage(), e);
        }
        byte[] bytes = compressed.toByteArray();
        return new Layer(bytes, Digest.of(bytes), Digest.of(uncompressed));
    }

    public long size() {
        return gzip.length;
    }
}
