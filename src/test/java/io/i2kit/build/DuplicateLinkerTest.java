package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Entry.Meta;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.FileTree;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateLinkerTest {
    private static final int SIZE = (int) DuplicateLinker.MIN_SIZE;

    private static byte[] bytes(int size, int fill) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static long group(FileTree tree, String path) {
        return ((RegularFile) tree.get(path).orElseThrow()).linkGroup();
    }

    @Test
    void identicalLargeFilesWithTheSameModeBecomeOneInode() {
        FileTree tree = new FileTree();
        tree.addFile("bin/busybox", Meta.of(0755), bytes(SIZE, 1));
        tree.addFile("containers/services/web/rootfs/bin/busybox", Meta.of(0755), bytes(SIZE, 1));
        tree.addFile("containers/services/web/rootfs/bin/other", Meta.of(0755), bytes(SIZE, 2));

        assertThat(DuplicateLinker.link(tree, List.of())).isEqualTo(SIZE);

        assertThat(group(tree, "bin/busybox")).isNotZero()
                .isEqualTo(group(tree, "containers/services/web/rootfs/bin/busybox"));
        assertThat(group(tree, "containers/services/web/rootfs/bin/other")).isZero();
    }

    @Test
    void differentModesSmallFilesAndExcludedBundlesKeepTheirOwnCopies() {
        FileTree tree = new FileTree();
        tree.addFile("bin/busybox", Meta.of(0755), bytes(SIZE, 1));
        tree.addFile("a/busybox", Meta.of(0700), bytes(SIZE, 1));
        tree.addFile("containers/services/admin/rootfs/bin/busybox", Meta.of(0755), bytes(SIZE, 1));
        tree.addFile("small/one", Meta.of(0644), bytes(SIZE - 1, 3));
        tree.addFile("small/two", Meta.of(0644), bytes(SIZE - 1, 3));

        assertThat(DuplicateLinker.link(tree, List.of("containers/services/admin"))).isZero();

        for (String path : List.of("bin/busybox", "a/busybox", "containers/services/admin/rootfs/bin/busybox", "small/one")) {
            assertThat(group(tree, path)).as(path).isZero();
        }
    }
}
