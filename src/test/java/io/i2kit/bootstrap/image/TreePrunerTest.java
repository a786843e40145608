package io.i2kit.bootstrap.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreePrunerTest {
    private static final Meta LINK = Meta.of(0777);

    private static FileTree libc() {
        FileTree t = new FileTree();
        t.addFile("lib/x86_64-linux-gnu/libc.so.6", Meta.of(0755), new byte[] {1});
        t.addFile("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", Meta.of(0755), new byte[] {2});
        t.addSymlink("lib64/ld-linux-x86-64.so.2", LINK, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        t.addSymlink("usr/lib/x86_64-linux-gnu/libseccomp.so.2", LINK, "libseccomp.so.2.5.4");
        t.addFile("usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4", Meta.of(0644), new byte[] {3});
        t.addFile("usr/share/doc/libc6/copyright", Meta.of(0644), new byte[] {4});
        return t;
    }

    @Test
    void keepOnlyBringsParentsAndWhatLinksPointTo() {
        FileTree t = libc();
        TreePruner.keepOnly(t, List.of("lib64/ld-linux-x86-64.so.2", "usr/lib/*/libseccomp.so.2"));
        assertThat(t.entries().keySet()).containsExactly("lib", "lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                "lib64", "lib64/ld-linux-x86-64.so.2", "usr", "usr/lib", "usr/lib/x86_64-linux-gnu",
                "usr/lib/x86_64-linux-gnu/libseccomp.so.2", "usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4");
    }

    @Test
    void keepOnlyKeepsWhatIsBelowAKeptDirectoryAndSurvivesALinkLoop() {
        FileTree t = libc();
        t.addSymlink("usr/share/doc/libc6/a", LINK, "b");
        t.addSymlink("usr/share/doc/libc6/b", LINK, "a");
        TreePruner.keepOnly(t, List.of("usr/**/doc"));
        assertThat(t.entries().keySet()).containsExactly("usr", "usr/share", "usr/share/doc", "usr/share/doc/libc6",
                "usr/share/doc/libc6/a", "usr/share/doc/libc6/b", "usr/share/doc/libc6/copyright");
    }

    @Test
    void dropRemovesWholeTrees() {
        FileTree t = libc();
        TreePruner.drop(t, List.of("usr/share/doc", "lib/*/libc.so.?"));
        assertThat(t.get("usr/share/doc/libc6/copyright")).isEmpty();
        assertThat(t.get("usr/share/doc")).isEmpty();
        assertThat(t.get("usr/share")).isPresent();
        assertThat(t.get("lib/x86_64-linux-gnu/libc.so.6")).isEmpty();
        assertThat(t.get("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")).isPresent();
    }

    @Test
    void globsStayWithinANameUnlessDoubled() {
        assertThat(TreePruner.glob("./usr/*/x/").matcher("usr/lib/x").matches()).isTrue();
        assertThat(TreePruner.glob("usr/*/x").matcher("usr/lib/deep/x").matches()).isFalse();
        assertThat(TreePruner.glob("usr/**/x").matcher("usr/lib/deep/x").matches()).isTrue();
        assertThat(TreePruner.glob("a.b").matcher("aXb").matches()).isFalse();
    }
}
