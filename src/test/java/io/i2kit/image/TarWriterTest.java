package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Entry.Meta;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.TestLayers.Packing;
import io.i2kit.image.TestLayers.Stored;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
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

    /** A random tree, its entries added in an order that depends on {@code shuffle}. */
    private static FileTree tree(long seed, long shuffle, int size) {
        Random r = new Random(seed);
        List<Runnable> additions = new ArrayList<>();
        FileTree t = new FileTree();
        for (int i = 0; i < size; i++) {
            String path = "d" + r.nextInt(4) + "/sub" + r.nextInt(3) + "/f" + i + (r.nextBoolean() ? "-x" : "");
            byte[] content = new byte[r.nextInt(2000)];
            r.nextBytes(content);
            int kind = r.nextInt(4);
            additions.add(() -> {
                switch (kind) {
                    case 0 -> t.addSymlink(path, Meta.of(0777), "../target" + path.length());
                    case 1 -> t.addDevice(path, new Meta(0660, 0, 6), true, 254, path.length());
                    default -> t.addFile(path, new Meta(kind == 2 ? 0755 : 0644, kind, kind), content);
                }
            });
        }
        Collections.shuffle(additions, new Random(shuffle));
        additions.forEach(Runnable::run);
        return t;
    }

    @Property(tries = 30)
    void sameTreeSameBytesWhateverTheInsertionOrder(@ForAll long seed, @ForAll long shuffleA, @ForAll long shuffleB,
                                                    @ForAll @IntRange(min = 1, max = 40) int size) throws IOException {
        byte[] a = tar(tree(seed, shuffleA, size));
        assertThat(tar(tree(seed, shuffleB, size))).isEqualTo(a);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(a))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(e.getModTime().getTime()).isZero();
                names.add(e.getName().replaceAll("/$", ""));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.contains("/")) {
                assertThat(names.subList(0, i)).as("parent of " + name + " comes first")
                        .contains(name.substring(0, name.lastIndexOf('/')));
            }
        }
    }

    @Test
    void keepsOwnersModesAndLinkTargets() throws IOException {
        FileTree t = new FileTree();
        t.addDirectory("usr/games", new Meta(02750, 5, 60));
        t.addDirectory("tmp", Meta.of(01777));
        t.addSymlink("bin/sh", Meta.of(0777), "busybox");
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar(t)))) {
            List<String> seen = new ArrayList<>();
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                seen.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":"
                        + e.getLongGroupId() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
            assertThat(seen).containsExactly("bin/ 755 0:0", "bin/sh 777 0:0 -> busybox", "tmp/ 1777 0:0",
                    "usr/ 755 0:0", "usr/games/ 2750 5:60");
        }
    }
}
