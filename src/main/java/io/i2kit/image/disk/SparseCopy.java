package io.i2kit.image.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Copies a disk image leaving its all-zero pages as holes: a raw-efi disk is 1 GiB of which a few
 * tens of MiB are written, and a plain copy would allocate all of it. Zeros are skipped page by
 * page (4 KiB, the file systems' block), so the copy allocates about what the data needs, as the
 * cached original does; the length is kept exactly.
 */
public final class SparseCopy {
    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private SparseCopy() {
    }

    public static void copy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            byte[] bytes = buffer.array();
            long position = 0;
            while (true) {
                buffer.clear();
                while (buffer.hasRemaining() && in.read(buffer, position + buffer.position()) > 0) {
                    // a short read: fill the chunk, so pages stay aligned to the file's blocks
                }
                int n = buffer.position();
                if (n == 0) {
                    break;
                }
                // Runs of pages with data are written whole; the zero pages between them stay holes.
                int start = -1;
                for (int page = 0; page < n; page += PAGE) {
                    boolean data = !zero(bytes, page, Math.min(n, page + PAGE));
                    if (data && start < 0) {
                        start = page;
                    } else if (!data && start >= 0) {
                        write(out, ByteBuffer.wrap(bytes, start, page - start), position + start);
                        start = -1;
                    }
                }
                if (start >= 0) {
                    write(out, ByteBuffer.wrap(bytes, start, n - start), position + start);
                }
                position += n;
            }
            if (out.size() < position) {
                out.write(ByteBuffer.allocate(1), position - 1); // the length, ending in a zero byte
            }
        }
    }

    private static void write(FileChannel out, ByteBuffer run, long at) throws IOException {
        long offset = at - run.position();
        while (run.hasRemaining()) {
            out.write(run, offset + run.position());
        }
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        return Arrays.mismatch(bytes, from, to, ZERO_PAGE, 0, to - from) < 0;
    }
}
