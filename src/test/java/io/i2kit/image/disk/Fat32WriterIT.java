package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.event.Progress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small volume (512-byte clusters, which the EFI disk never uses) with what stresses a FAT
 * writer: a directory spanning many clusters, names needing several long-name entries, non-ASCII
 * names, aliases with "~N" tails, empty files, and files of odd sizes; checked with fsck.fat and mtools.
 */
class Fat32WriterIT {
    private static final Map<String, String> MTOOLS = Map.of("MTOOLS_SKIP_CHECK", "1", "LC_ALL", "C.UTF-8");

    @TempDir
    static Path dir;
    static Path volume;
    static final List<String> NAMES = new ArrayList<>();
    static final List<byte[]> CONTENTS = new ArrayList<>();

    @BeforeAll
    static void writeVolume() throws IOException {
        List<FatEntry> entries = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 60; i++) {
            String name = "many/a file with a rather long name number " + i + ".data";
            byte[] content = new byte[random.nextInt(3000)];
            random.nextBytes(content);
            NAMES.add(name);
            CONTENTS.add(content);
            entries.add(FatEntry.file(name, FatContent.of(content)));
        }
        entries.add(FatEntry.file("many/Grüße.txt", FatContent.of("hallo\n".getBytes(StandardCharsets.UTF_8))));
        entries.add(FatEntry.file("empty", FatContent.of(new byte[0])));
        entries.add(FatEntry.directory("deep/er/est"));
        Fat32Writer writer = new Fat32Writer(entries, "SMALL", 0x1234_5678);
        volume = dir.resolve("small.img");
        long bytes = writer.minimumBytes();
        assertThat(bytes).isEqualTo(Fat32Writer.MIN_VOLUME_BYTES);
        try (FileChannel channel = FileChannel.open(volume, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            SparseWriter out = new SparseWriter(channel);
            writer.write(out, 0, bytes, Progress.NONE, "test");
            out.extendTo(bytes);
        }
    }

    @Test
    void fsckFindsNoErrors() {
        Command check = Command.run(dir, List.of("fsck.fat", "-n", "-v", volume.toString()));
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("512 bytes per cluster").contains("67 files");
    }

    @Test
    void mtoolsReadEveryFileBack() throws IOException {
        Path copies = Files.createDirectories(dir.resolve("copies"));
        Command copy = Command.run(dir, List.of("mcopy", "-s", "-n", "-i", volume.toString(), "::/many", "::/empty",
                "::/deep", copies.toString()), MTOOLS);
        assertThat(copy.exitCode()).as(copy.output()).isZero();
        for (int i = 0; i < NAMES.size(); i++) {
            assertThat(copies.resolve(NAMES.get(i))).hasBinaryContent(CONTENTS.get(i));
        }
        assertThat(copies.resolve("many/Grüße.txt")).hasContent("hallo");
        assertThat(copies.resolve("empty")).isEmptyFile();
        assertThat(copies.resolve("deep/er/est")).isDirectory();
        try (var listing = Files.list(copies.resolve("many"))) {
            assertThat(listing).hasSize(61);
        }
    }

    @Test
    void aliasesGetNumberedTails() {
        Command listing = Command.run(dir, List.of("mdir", "-i", volume.toString(), "::/many"), MTOOLS);
        assertThat(listing.exitCode()).as(listing.output()).isZero();
        assertThat(listing.output()).contains("Volume in drive : is SMALL").contains("Serial Number is 1234-5678")
                .containsPattern("AFILEW~1 DAT\\s+\\d+ .*a file with a rather long name number 0.data")
                .contains("AFILE~10 DAT");
    }
}
