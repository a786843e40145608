package io.i2kit.image;

import com.github.luben.zstd.ZstdInputStream;
import io.i2kit.I2kitException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * How a layer blob is compressed, told by its first bytes: registries and tools do not always
 * label layers truthfully (Docker's media type says gzip for uncompressed layers of some images).
 */
enum LayerCompression {
    GZIP(new byte[] {0x1f, (byte) 0x8b}),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    PLAIN(new byte[0]);

    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};

    private final byte[] magic;

    LayerCompression(byte[] magic) {
        this.magic = magic;
    }

    /** Peeks at the stream's first bytes; {@code in} must support mark/reset. */
    static LayerCompression detect(InputStream in) throws IOException {
        in.mark(16);
        byte[] head = in.readNBytes(8);
        in.reset();
        for (LayerCompression c : values()) {
            if (c != PLAIN && startsWith(head, c.magic)) {
                return c;
            }
        }
        if (startsWith(head, XZ) || startsWith(head, BZIP2)) {
            throw new I2kitException("layer is compressed with " + (head[0] == 'B' ? "bzip2" : "xz")
                    + ", which OCI images do not use; rebuild the image with gzip or zstd layers");
        }
        return PLAIN;
    }

    InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdInputStream(in);
            case PLAIN -> in;
        };
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }
}
