package io.i2kit.image;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * How an initrd is compressed. Every choice is deterministic (no time or name in a header, one
 * thread) and readable by the Linux kernel's initramfs unpacker; zstd and LZ4 unpack several times
 * faster than gzip at boot.
 */
public enum Compression {
    GZIP(".gz"),
    /** One zstd frame with a checksum and a 1 MiB window: the kernel allocates the window while it unpacks the initrd, and a small VM cannot spare 8 MiB for it. */
    ZSTD(".zst"),
    /** LZ4's legacy frame, the only LZ4 framing the kernel reads. */
    LZ4(".lz4"),
    NONE("");

    static final int ZSTD_LEVEL = 12;
    static final int ZSTD_WINDOW_LOG = 20;

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** The usual file name suffix, e.g. {@code initrd.img.gz}. */
    public String suffix() {
        return suffix;
    }

    /**
     * A stream compressing into {@code target}; closing it ends the compressed stream but leaves
     * {@code target} open.
     */
    public OutputStream compress(OutputStream target) throws IOException {
        OutputStream shielded = new KeepOpen(target);
        return switch (this) {
            case GZIP -> {
                GzipParameters params = new GzipParameters();
                params.setModificationTime(0);
                params.setOperatingSystem(3); // Unix, whatever machine builds it
                yield new GzipCompressorOutputStream(shielded, params);
            }
            case ZSTD -> {
                ZstdOutputStream zstd = new ZstdOutputStream(shielded);
                zstd.setLevel(ZSTD_LEVEL);
                zstd.setWindowLog(ZSTD_WINDOW_LOG);
                zstd.setChecksum(true);
                zstd.setWorkers(0);
                yield zstd;
            }
            case LZ4 -> new Lz4LegacyOutputStream(shielded);
            case NONE -> shielded;
        };
    }

    /** Passes writes through, in bulk, and does not close the caller's stream. */
    private static final class KeepOpen extends OutputStream {
        private final OutputStream target;

        KeepOpen(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.flush();
        }
    }
}
