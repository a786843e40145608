package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Meta;
import io.i2kit.event.Progress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitrdWriterTest {
    @TempDir
    Path dir;

    static byte[] write(FileTree tree, Compression compression) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitrdWriter.write(tree, compression, out, Progress.NONE);
        return out.toByteArray();
    }

    record Read(CpioArchiveEntry entry, byte[] data) {
    }

    static Map<String, Read> read(byte[] cpio) throws IOException {
        Map<String, Read> entries = new LinkedHashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(cpio))) {
            CpioArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), new Read(e, in.readAllBytes()));
            }
        }
        return entries;
    }

    @Test
    void writesEveryKindOfEntryAsNewcInPathOrder() throws IOException {
        Map<String, Read> entries = read(write(SampleTrees.everyKind(), Compression.NONE));

        assertThat(entries.keySet()).startsWith("a").contains("bin", "bin/busybox", "bin/sh", "init", "dev/console",
                "dev/vda", "run/initctl", "home/app/notes.txt", "empty");
        assertThat(new ArrayList<>(entries.keySet())).isSorted();
        CpioArchiveEntry busybox = entries.get("bin/busybox").entry();
        CpioArchiveEntry sh = entries.get("bin/sh").entry();
        assertThat(busybox.getFormat()).isEqualTo(CpioArchiveEntry.FORMAT_NEW);
        assertThat(busybox.getMode()).isEqualTo(0104755);
        assertThat(busybox.getInode()).isEqualTo(sh.getInode());
        assertThat(busybox.getNumberOfLinks()).isEqualTo(2);
        assertThat(sh.getNumberOfLinks()).isEqualTo(2);
        assertThat(entries.get("bin/busybox").data()).asString().isEqualTo("#!busybox\n");
        assertThat(entries.get("bin/sh").data()).isEmpty();
        assertThat(entries.get("init").entry().getMode()).isEqualTo(0120777);
        assertThat(entries.get("init").data()).asString().isEqualTo("/bin/busybox");
        CpioArchiveEntry console = entries.get("dev/console").entry();
        assertThat(console.getMode()).isEqualTo(0020600);
        assertThat(console.getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(console.getRemoteDeviceMin()).isEqualTo(1);
        assertThat(console.getGID()).isEqualTo(5);
        assertThat(entries.get("dev/vda").entry().getMode()).isEqualTo(0060660);
        assertThat(entries.get("run/initctl").entry().getMode()).isEqualTo(0010600);
        CpioArchiveEntry notes = entries.get("home/app/notes.txt").entry();
        assertThat(notes.getUID()).isEqualTo(1000);
        assertThat(notes.getTime()).isZero();
        assertThat(entries.get("home/app/notes.txt").data()).asString().isEqualTo("odd length");
        long distinctInodes = entries.values().stream().map(r -> r.entry().getInode()).distinct().count();
        assertThat(distinctInodes).isEqualTo(entries.size() - 1);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void theSameTreeGivesTheSameBytes(Compression compression) throws IOException {
        byte[] first = write(SampleTrees.everyKind(), compression);
        byte[] second = write(SampleTrees.everyKind(), compression);

        assertThat(first).isEqualTo(second);
        assertThat(decompress(first, compression)).isEqualTo(write(SampleTrees.everyKind(), Compression.NONE));
    }

    @Test
    void gzipHeaderHasNoNameAndNoTime() {
        byte[] gz = write(SampleTrees.everyKind(), Compression.GZIP);

        assertThat(Arrays.copyOf(gz, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
    }

    @Test
    void zstdIsOneFrameWithAWindowTheKernelAccepts() throws IOException {
        FileTree tree = new FileTree();
        tree.addFile("big", Meta.of(0644), new Entry.OnDisk(SampleTrees.bigFile(dir), 150L << 16));
        byte[] zst = write(tree, Compression.ZSTD);

        assertThat(Arrays.copyOf(zst, 4)).containsExactly(0x28, 0xb5, 0x2f, 0xfd);
        int descriptor = zst[4] & 0xff;
        assertThat(descriptor & 0x20).as("single segment would mean a window as large as the content").isZero();
        assertThat(descriptor & 0x04).as("content checksum flag").isNotZero();
        int window = zst[5] & 0xff;
        long base = 1L << (10 + (window >> 3));
        assertThat(base + base / 8 * (window & 7)).isLessThanOrEqualTo(8L << 20);
    }

    @Test
    void lz4UsesTheLegacyFrameInBlocksOfAtMost8MiB() throws IOException {
        FileTree tree = new FileTree();
        tree.addFile("big", Meta.of(0644), new Entry.OnDisk(SampleTrees.bigFile(dir), 150L << 16));
        byte[] lz4 = write(tree, Compression.LZ4);

        List<byte[]> blocks = lz4Blocks(lz4);
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0)).hasSize(8 << 20);
        byte[] whole = ByteBuffer.allocate(blocks.get(0).length + blocks.get(1).length).put(blocks.get(0))
                .put(blocks.get(1)).array();
        assertThat(whole).isEqualTo(write(tree, Compression.NONE));
    }

    @Test
    void refusesAFileWhoseContentChangedSize() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "short");
        FileTree tree = new FileTree();
        tree.addFile("f", Meta.of(0644), new Entry.OnDisk(file, 10));

        assertThatThrownBy(() -> write(tree, Compression.NONE)).isInstanceOf(I2kitException.class)
                .hasMessageContaining("content of \"f\" is not 10 bytes long").hasMessageContaining(file.toString());
    }

    static byte[] decompress(byte[] data, Compression compression) throws IOException {
        InputStream in = new ByteArrayInputStream(data);
        return switch (compression) {
            case GZIP -> new GzipCompressorInputStream(in).readAllBytes();
            case ZSTD -> new ZstdInputStream(in).readAllBytes();
            case LZ4 -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (byte[] block : lz4Blocks(data)) {
                    out.write(block);
                }
                yield out.toByteArray();
            }
            case NONE -> data;
        };
    }

    /** Decodes the legacy frame by its definition, independently of the writer. */
    static List<byte[]> lz4Blocks(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getInt()).isEqualTo(0x184C2102);
        LZ4SafeDecompressor lz4 = LZ4Factory.safeInstance().safeDecompressor();
        List<byte[]> blocks = new ArrayList<>();
        while (buffer.hasRemaining()) {
            int size = buffer.getInt();
            byte[] block = new byte[8 << 20];
            int n = lz4.decompress(data, buffer.position(), size, block, 0);
            buffer.position(buffer.position() + size);
            blocks.add(Arrays.copyOf(block, n));
        }
        return blocks;
    }
}
