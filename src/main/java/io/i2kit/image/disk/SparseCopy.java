package io.i2kit.image.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a disk image leaving its all-zero blocks as holes: a raw-efi disk is 1 GiB of which a few
 * tens of MiB are written, and a plain copy would allocate all of it.
 */
public final class SparseCopy {
    private static final int BLOCK = 1 << 20;

    private SparseCopy() {
    }

    public static void copy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            long position = 0;
            while (true) {
                buffer.clear();
                int n = in.read(buffer, position);
                if (n <= 0) {
                    break;
                }
                buffer.flip();
                if (!zero(buffer)) {
                    while (buffer.hasRemaining()) {
                        out.write(buffer, position + buffer.position());
                    }
                }
                position += n;
            }
            if (out.size() < position) {
                out.write(ByteBuffer.allocate(1), position - 1); // the length, ending in a zero byte
            }
        }
    }

    private static boolean zero(ByteBuffer buffer) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
