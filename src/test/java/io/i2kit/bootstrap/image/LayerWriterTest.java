package io.i2kit.bootstrap.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

class LayerWriterTest {
    /** A random tree, inserted in an order that depends on {@code shuffle}. */
    private static RootFs tree(long seed, long shuffle, int size) {
        Random r = new Random(seed);
        List<Runnable> puts = new ArrayList<>();
        RootFs t = new RootFs();
        for (int i = 0; i < size; i++) {
            String path = "d" + r.nextInt(4) + "/sub" + r.nextInt(3) + "/f" + i + (r.nextBoolean() ? "-x" : "");
            byte[] content = new byte[r.nextInt(2000)];
            r.nextBytes(content);
            int kind = r.nextInt(3);
            puts.add(() -> t.put(path, kind == 0 ? FsNode.symlink("../target" + path.length()) : FsNode.file(kind == 1 ? 0755 : 0644, content)));
        }
        Collections.shuffle(puts, new Random(shuffle));
        puts.forEach(Runnable::run);
        return t;
    }

    @Property(tries = 30)
    void sameTreeSameBytesWhateverTheInsertionOrder(@ForAll long seed, @ForAll long shuffleA, @ForAll long shuffleB,
                                                    @ForAll @IntRange(min = 1, max = 40) int size) throws IOException {
        LayerWriter.Layer a = LayerWriter.gzipLayer(tree(seed, shuffleA, size));
        LayerWriter.Layer b = LayerWriter.gzipLayer(tree(seed, shuffleB, size));
        assertThat(a.gzip()).isEqualTo(b.gzip());
        assertThat(a.digest()).isEqualTo(b.digest());
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(a.gzip())))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                assertThat(e.getModTime().getTime()).isZero();
                names.add(e.getName().replaceAll("/$", ""));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.contains("/")) {
                assertThat(names.subList(0, i)).as("parent of " + name + " comes first").contains(name.substring(0, name.lastIndexOf('/')));
            }
        }
    }

    @Test
    void gzipHeaderHasNoTimeAndAnUnknownOs() {
        byte[] gz = LayerWriter.gzipLayer(tree(1, 2, 5)).gzip();
        assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).containsOnly(0);
        assertThat(gz[9]).isEqualTo((byte) 255);
    }

    @Test
    void keepsOwnersModesAndLinkTargets() throws IOException {
        RootFs t = new RootFs();
        t.put("usr/games", new FsNode(FsNode.Type.DIRECTORY, 02750, 5, 60, "games", "games", null, null));
        t.put("tmp", FsNode.directory(01777));
        t.put("bin/sh", FsNode.symlink("busybox"));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(LayerWriter.tar(t)))) {
            List<String> seen = new ArrayList<>();
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                seen.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":" + e.getLongGroupId()
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
            assertThat(seen).containsExactly("bin/ 40755 0:0", "bin/sh 120777 0:0 -> busybox", "tmp/ 41777 0:0",
                    "usr/ 40755 0:0", "usr/games/ 42750 5:60");
        }
    }
}
