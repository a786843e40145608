package io.i2kit.provider.aws.ami;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Sparse disk images with random data in chosen 512 KiB blocks, and what each block holds. */
final class TestDisk {
    static final int BLOCK = EbsDirectClient.BLOCK_SIZE;

    private TestDisk() {
    }

    /**
     * Writes a sparse file of {@code size} bytes with {@code length} random bytes at the start of
     * each listed block (cut at the end of the file); returns each data block as EBS should store
     * it: whole, padded with zeros.
     */
    static Map<Integer, byte[]> write(Path file, long size, int length, long seed, int... blocks) throws IOException {
        Random random = new Random(seed);
        Map<Integer, byte[]> expected = new TreeMap<>();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            for (int block : blocks) {
                long offset = (long) block * BLOCK;
                byte[] data = new byte[(int) Math.min(length, size - offset)];
                random.nextBytes(data);
                data[0] = 1;
                raf.seek(offset);
                raf.write(data);
                expected.put(block, Arrays.copyOf(data, BLOCK));
            }
        }
        return expected;
    }
}
