package io.i2kit.image;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * LZ4's legacy frame ({@code lz4 -l}), which is what the kernel's initramfs unpacker reads: the
 * magic {@code 0x184C2102} (little-endian), then blocks of at most 8 MiB of input, each one
 * compressed independently and prefixed by its compressed size (little-endian).
 */
final class Lz4LegacyOutputStream extends OutputStream {
    static final int MAGIC = 0x184C2102;
    static final int BLOCK = 8 << 20;

    // The pure-Java compressor: its output is the same on every machine, unlike a native build's
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestJavaInstance().fastCompressor();

    private final OutputStream target;
    private final byte[] block = new byte[BLOCK];
    private final byte[] compressed = new byte[COMPRESSOR.maxCompressedLength(BLOCK)];
    private int filled;
    private boolean closed;

    Lz4LegacyOutputStream(OutputStream target) throws IOException {
        this.target = target;
        writeIntLe(MAGIC);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                writeBlock();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (filled > 0) {
                writeBlock();
            }
            target.close();
        }
    }

    private void writeBlock() throws IOException {
        int size = COMPRESSOR.compress(block, 0, filled, compressed, 0, compressed.length);
        writeIntLe(size);
        target.write(compressed, 0, size);
        filled = 0;
    }

    private void writeIntLe(int value) throws IOException {
        target.write(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }
}
