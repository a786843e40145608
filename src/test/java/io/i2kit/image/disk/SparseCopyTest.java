package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path from = Files.write(dir.resolve("a.img"), data);
        Path to = dir.resolve("b.img");
        Files.writeString(to, "old content longer than nothing");
        SparseCopy.copy(from, to);
        assertThat(Files.mismatch(from, to)).isEqualTo(-1L);

        byte[] trailingZeros = new byte[(2 << 20)];
        trailingZeros[0] = 9;
        Path tail = Files.write(dir.resolve("c.img"), trailingZeros);
        SparseCopy.copy(tail, dir.resolve("d.img"));
        assertThat(Files.mismatch(tail, dir.resolve("d.img"))).isEqualTo(-1L);
    }
}
