package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockScannerTest {
    private static final int BLOCK = TestDisk.BLOCK;

    @TempDir
    Path dir;

    @Test
    void findsTheBlocksHoldingDataInOrderAndSizesTheVolumeInWholeGib() throws Exception {
        Path image = dir.resolve("disk.img");
        TestDisk.write(image, (1L << 30) + 1000, 10, 1, 2048, 3, 0, 17, 16);

        ImageBlocks blocks = BlockScanner.scan(image);

        assertThat(blocks.data()).containsExactly(0, 3, 16, 17, 2048);
        assertThat(blocks.total()).isEqualTo(2049);
        assertThat(blocks.zeroCount()).isEqualTo(2044);
        assertThat(blocks.size()).isEqualTo((1L << 30) + 1000);
        assertThat(blocks.volumeGib()).isEqualTo(2);
        assertThat(blocks.dataBytes()).isEqualTo(5L * BLOCK);
    }

    @Test
    void aSingleByteAtTheVeryEndCounts() throws Exception {
        Path image = dir.resolve("disk.img");
        TestDisk.write(image, 3L * BLOCK, 1, 2, 2);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0}), 2L * BLOCK);
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {7}), 3L * BLOCK - 1);
        }

        assertThat(BlockScanner.scan(image).data()).containsExactly(2);
    }

    @Test
    void aSmallImageIsOneGibAndAnEmptyOneHasNoBlocks() throws Exception {
        Path small = dir.resolve("small.img");
        Map<Integer, byte[]> expected = TestDisk.write(small, 1000, 1000, 3, 0);
        Path empty = Files.createFile(dir.resolve("empty.img"));

        ImageBlocks blocks = BlockScanner.scan(small);
        assertThat(blocks.data()).containsExactly(0);
        assertThat(blocks.volumeGib()).isEqualTo(1);
        byte[] read = new byte[BLOCK];
        try (FileChannel channel = FileChannel.open(small)) {
            BlockScanner.read(channel, 0, read, small);
        }
        assertThat(read).isEqualTo(expected.get(0));
        assertThat(BlockScanner.scan(empty).total()).isZero();
        assertThat(BlockScanner.scan(empty).volumeGib()).isEqualTo(1);
    }

    @Test
    void aMissingImageSaysWhichAndWhatToDo() {
        Path missing = dir.resolve("nope.img");
        assertThatThrownBy(() -> BlockScanner.scan(missing)).isInstanceOf(I2kitException.class)
                .hasMessageStartingWith("cannot read the image " + missing + " to upload it: ")
                .hasMessageEndingWith("; hint: build it again with i2kit build --format raw-efi");
    }
}
