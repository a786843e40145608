package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.TestLayers.Packing;
import io.i2kit.image.TestLayers.Stored;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {
    @TempDir
    Path dir;

    static byte[] tar(FileTree tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter.write(tree, out);
        return out.toByteArray();
    }

    @Test
    void aTreeWrittenAsALayerUnpacksToTheSameTree() {
        FileTree original = SampleTrees.everyKind();
        I2kitHome home = new I2kitHome(dir.resolve("home"));
        Stored layer = TestLayers.store(home.blobs(), tar(original), Packing.GZIP);

        FileTree back = new LayerApplier().flatten(
                new LayerUnpacker(home.blobs(), home).unpack(ImageFixtures.pulled(List.of(layer)), Progress.NONE));

        assertThat(back.entries().keySet()).containsExactlyElementsOf(original.entries().keySet());
        original.entries().forEach((path, entry) -> {
            Entry copy = back.get(path).orElseThrow();
            assertThat(copy.meta()).as(path).isEqualTo(entry.meta());
            assertThat(copy.getClass()).as(path).isEqualTo(entry.getClass());
            if (entry instanceof RegularFile) {
                assertThat(LayerApplierTest.content(back, path)).isEqualTo(LayerApplierTest.content(original, path));
            } else {
                assertThat(copy).as(path).isEqualTo(entry);
            }
        });
        assertThat(HardLinks.of(back).groups().values()).containsExactly(List.of("bin/busybox", "bin/sh"));
        assertThat(InitrdWriterTest.write(back, Compression.NONE))
                .isEqualTo(InitrdWriterTest.write(original, Compression.NONE));
    }

    @Test
    void carriesNoTimeNoUserNameAndTheSameBytesEachTime() throws IOException {
        byte[] bytes = tar(SampleTrees.everyKind());
        assertThat(tar(SampleTrees.everyKind())).isEqualTo(bytes);

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            TarArchiveEntry e;
            int seen = 0;
            while ((e = in.getNextEntry()) != null) {
                assertThat(e.getModTime().getTime()).as(e.getName()).isZero();
                assertThat(e.getUserName()).isEmpty();
                seen++;
            }
            assertThat(seen).isEqualTo(SampleTrees.everyKind().size());
        }
        // the PAX header of the long name is written here, not by the library: no user name in it either
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(System.getProperty("user.name") + "\0");
    }

    @Test
    void paxRecordLengthCountsItsOwnDigits() {
        assertThat(TarWriter.record("path", "a")).isEqualTo("9 path=a\n");
        assertThat(TarWriter.record("path", "x".repeat(90))).hasSize(99).startsWith("99 path=");
        // 98 bytes plus "99" would be 100, which needs three digits: the record grows to 101
        assertThat(TarWriter.record("path", "x".repeat(91))).hasSize(101).startsWith("101 path=");
    }
}
