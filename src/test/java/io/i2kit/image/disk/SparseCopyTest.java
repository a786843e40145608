package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseCopyTest {
    @TempDir
    Path dir;

    @Test
    void copiesContentAndLengthWhateverTheZeroBlocks() throws IOException {
        byte[] data = new byte[(3 << 20) + 123];
        data[5] = 1;
        data[(2 << 20) + 7] = 2; // the second MiB stays all zero: a hole in the copy
        data[data.length - 1] = 3; // data in the last, partial page
        Path from = Files.write(dir.resolve("a.img"), data);
        Path to = dir.resolve("b.img");
        Files.writeString(to, "old content longer than nothing");
        SparseCopy.copy(from, to);
        assertThat(Files.mismatch(from, to)).isEqualTo(-1L);

        byte[] trailingZeros = new byte[(2 << 20) + 5];
        trailingZeros[0] = 9;
        Path tail = Files.write(dir.resolve("c.img"), trailingZeros);
        SparseCopy.copy(tail, dir.resolve("d.img"));
        assertThat(Files.mismatch(tail, dir.resolve("d.img"))).isEqualTo(-1L);
    }

    /**
     * A 256 MiB disk with 40 scattered 4 KiB pages of data (and one page across a MiB boundary):
     * the copy is byte-identical and allocates about the data, not the length.
     */
    @Test
    void theCopyAllocatesAboutItsDataNotItsLength() throws Exception {
        Path from = dir.resolve("disk.img");
        long length = 256L << 20;
        Random random = new Random(7);
        try (RandomAccessFile file = new RandomAccessFile(from.toFile(), "rw")) {
            file.setLength(length);
            byte[] page = new byte[4096];
            for (int i = 0; i < 40; i++) {
                random.nextBytes(page);
                file.seek((random.nextLong(length / 4096 - 1)) * 4096);
                file.write(page);
            }
            file.seek((5L << 20) - 2048);
            file.write(page);
        }
        Path to = dir.resolve("copy.img");
        SparseCopy.copy(from, to);

        assertThat(Files.size(to)).isEqualTo(length);
        assertThat(Files.mismatch(from, to)).isEqualTo(-1L);
        assertThat(Allocated.bytes(to)).as("bytes allocated to the copy, by stat")
                .isLessThanOrEqualTo(Allocated.bytes(from) + (64 << 10)).isLessThan(1L << 20);
    }
}
