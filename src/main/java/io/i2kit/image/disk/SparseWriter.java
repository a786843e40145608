package io.i2kit.image.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes into a new, empty file and leaves all-zero 4 KiB blocks unwritten: the file system keeps
 * them as holes, so a mostly empty disk image costs little space, and readers (QEMU, the AWS
 * uploader that skips zero blocks) see zeros there all the same. Only correct on a file that was
 * empty when opened, since skipped ranges must already read as zeros.
 */
final class SparseWriter {
    static final int BLOCK = 4096;
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(BLOCK).asReadOnlyBuffer();

    private final FileChannel channel;

    SparseWriter(FileChannel channel) {
        this.channel = channel;
    }

    void write(long position, byte[] data) throws IOException {
        write(position, ByteBuffer.wrap(data));
    }

    /** Writes the remaining bytes of {@code data} at {@code position}; consumes the buffer. */
    void write(long position, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            long blockEnd = (position / BLOCK + 1) * BLOCK;
            int length = (int) Math.min(data.remaining(), blockEnd - position);
            ByteBuffer piece = data.slice(data.position(), length);
            if (piece.mismatch(ZEROS.slice(0, length)) != -1) {
                writeFully(position, piece);
            }
            data.position(data.position() + length);
            position += length;
        }
    }

    /** Makes the file {@code size} bytes long even when its tail is a hole. */
    void extendTo(long size) throws IOException {
        if (channel.size() < size) {
            writeFully(size - 1, ByteBuffer.allocate(1));
        }
    }

    private void writeFully(long position, ByteBuffer piece) throws IOException {
        while (piece.hasRemaining()) {
            position += channel.write(piece, position);
        }
    }
}
