package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Directory;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.Entry.RegularFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileTreeTest {
    private static final Meta FILE = new Meta(0644, 1000, 100);

    private static byte[] text(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void createsMissingParentsAsRootOwnedDirectories() {
        FileTree tree = new FileTree();
        tree.addFile("/usr/bin/tool", FILE, text("x"));

        assertThat(tree.entries().keySet()).containsExactly("usr", "usr/bin", "usr/bin/tool");
        assertThat(tree.get("usr/bin")).contains(new Directory(Meta.ROOT_DIR));
        assertThat(tree.get("usr/bin/tool").orElseThrow().meta()).isEqualTo(FILE);
    }

    @Test
    void followsSymlinksInsideTheTreeAsInAChroot() {
        FileTree tree = new FileTree();
        tree.addSymlink("lib", Meta.of(0777), "usr/lib");
        tree.addSymlink("evil", Meta.of(0777), "/");
        tree.addSymlink("up", Meta.of(0777), "../../..");
        tree.addFile("lib/libc.so", FILE, text("c"));
        tree.addFile("evil/etc/x", FILE, text("x"));
        tree.addFile("up/etc/y", FILE, text("y"));

        assertThat(tree.entries().keySet())
                .containsExactly("etc", "etc/x", "etc/y", "evil", "lib", "up", "usr", "usr/lib", "usr/lib/libc.so");
    }

    @Test
    void refusesLinkLoopsAndPathsClimbingAboveTheRoot() {
        FileTree tree = new FileTree();
        tree.addSymlink("a", Meta.of(0777), "b");
        tree.addSymlink("b", Meta.of(0777), "a");

        assertThatThrownBy(() -> tree.addFile("a/x", FILE, text("x")))
                .isInstanceOf(PathEscapeException.class).hasMessageContaining("link loop");
        assertThatThrownBy(() -> tree.addFile("x/../../etc/passwd", FILE, text("x")))
                .isInstanceOf(PathEscapeException.class).hasMessageContaining("climbs above the root");
        assertThat(tree.entries().keySet()).containsExactly("a", "b");
    }

    @Test
    void laterEntriesReplaceEarlierOnesAndDirectoriesKeepTheirContent() {
        FileTree lower = new FileTree();
        lower.addFile("etc/hosts", FILE, text("lower"));
        lower.addFile("opt/app/bin", FILE, text("bin"));
        FileTree upper = new FileTree();
        upper.addDirectory("etc", new Meta(0700, 0, 0));
        upper.addFile("etc/hosts", FILE, text("upper"));
        upper.addFile("opt/app", FILE, text("now a file"));

        lower.merge(upper);

        assertThat(lower.entries().keySet()).containsExactly("etc", "etc/hosts", "opt", "opt/app");
        assertThat(lower.get("etc").orElseThrow().meta().mode()).isEqualTo(0700);
        assertThat(lower.get("etc/hosts").orElseThrow()).isInstanceOfSatisfying(RegularFile.class,
                f -> assertThat(((Entry.Bytes) f.content()).data()).isEqualTo(text("upper")));
    }

    @Test
    void graftsATreeBelowAPrefixKeepingItsHardLinksSeparateFromOtherGrafts() {
        FileTree image = new FileTree();
        image.addFile("bin/busybox", FILE, text("bb"));
        image.addHardLink("bin/sh", "bin/busybox");
        FileTree bundle = new FileTree();

        bundle.graft("containers/services/web/rootfs", image);
        bundle.graft("/containers/services/db/rootfs/", image);

        long web = ((RegularFile) bundle.get("containers/services/web/rootfs/bin/sh").orElseThrow()).linkGroup();
        long db = ((RegularFile) bundle.get("containers/services/db/rootfs/bin/sh").orElseThrow()).linkGroup();
        assertThat(web).isNotZero().isNotEqualTo(db);
        assertThat(((RegularFile) bundle.get("containers/services/web/rootfs/bin/busybox").orElseThrow()).linkGroup())
                .isEqualTo(web);
        assertThat(HardLinks.of(bundle).groups()).hasSize(2);
    }

    @Test
    void aHardLinkOutlivesTheNameItWasMadeFrom() {
        FileTree tree = new FileTree();
        tree.addFile("a", FILE, text("shared"));
        tree.addHardLink("b", "a");
        tree.remove("a");

        assertThat(tree.get("b").orElseThrow()).isInstanceOf(RegularFile.class);
        assertThat(HardLinks.of(tree).groups()).isEmpty(); // one name left: an ordinary file
    }

    @Test
    void refusesHardLinksToMissingEntriesAndDirectories() {
        FileTree tree = new FileTree();
        tree.addDirectory("d", Meta.ROOT_DIR);

        assertThatThrownBy(() -> tree.addHardLink("x", "missing"))
                .isInstanceOf(I2kitException.class).hasMessageContaining("\"missing\": the target is not in the tree");
        assertThatThrownBy(() -> tree.addHardLink("x", "d")).hasMessageContaining("directories cannot be hard-linked");
    }

    @Test
    void clearsADirectoryButKeepsIt() {
        FileTree tree = new FileTree();
        tree.addFile("d/a", FILE, text("a"));
        tree.addFile("d/sub/b", FILE, text("b"));
        tree.addFile("d2/c", FILE, text("c"));

        tree.clearDirectory("d");

        assertThat(tree.entries().keySet()).containsExactly("d", "d2", "d2/c");
    }

    @Test
    void resolvesEveryLinkOfAPathInsideTheTree() {
        FileTree tree = new FileTree();
        tree.addFile("lib/x86_64-linux-gnu/ld.so", FILE, text("ld"));
        tree.addSymlink("lib64/ld.so", Meta.of(0777), "/lib/x86_64-linux-gnu/ld.so");
        tree.addSymlink("usr/lib/libseccomp.so.2", Meta.of(0777), "libseccomp.so.2.5.4");
        tree.addFile("usr/lib/libseccomp.so.2.5.4", FILE, text("s"));
        tree.addSymlink("escape", Meta.of(0777), "../../../lib64/ld.so");
        tree.addSymlink("root", Meta.of(0777), "/");
        tree.addSymlink("dangling", Meta.of(0777), "nowhere");

        assertThat(tree.resolve("lib64/ld.so")).contains("lib/x86_64-linux-gnu/ld.so");
        assertThat(tree.resolve("usr/lib/libseccomp.so.2")).contains("usr/lib/libseccomp.so.2.5.4");
        assertThat(tree.resolve("escape")).contains("lib/x86_64-linux-gnu/ld.so");
        assertThat(tree.resolve("root/usr/../lib64")).contains("lib64");
        assertThat(tree.resolve("root")).contains("");
        assertThat(tree.resolve("dangling")).isEmpty();
        assertThat(tree.resolve("usr/lib/libseccomp.so.2/x")).as("a file is no directory").isEmpty();
    }

    @Test
    void aLinkLoopResolvesToNothing() {
        FileTree tree = new FileTree();
        tree.addSymlink("a", Meta.of(0777), "b");
        tree.addSymlink("b", Meta.of(0777), "a");

        assertThat(tree.resolve("a")).isEmpty();
        assertThat(tree.resolve("a/x")).isEmpty();
    }

    @Test
    void listsWhatIsUnderADirectory() {
        FileTree tree = new FileTree();
        tree.addFile("boot/vmlinuz", FILE, text("k"));
        tree.addFile("boot/grub/x", FILE, text("x"));
        tree.addFile("boot-not/y", FILE, text("y"));

        assertThat(tree.under("/boot/").keySet()).containsExactly("boot/grub", "boot/grub/x", "boot/vmlinuz");
        assertThat(tree.under("")).hasSize(tree.size());
    }

    @Test
    void movesAFileOverALinkKeepingItsHardLinks() {
        FileTree tree = new FileTree();
        tree.addFile("usr/sbin/runc", new Meta(0755, 0, 0), text("elf"));
        tree.addHardLink("usr/sbin/runc.hard", "usr/sbin/runc");
        tree.addSymlink("usr/bin/runc", Meta.of(0777), "../sbin/runc");

        tree.move("usr/sbin/runc", "usr/bin/runc");

        assertThat(tree.get("usr/sbin/runc")).isEmpty();
        assertThat(tree.get("usr/bin/runc").orElseThrow()).isInstanceOfSatisfying(RegularFile.class,
                f -> assertThat(f.meta().mode()).isEqualTo(0755));
        assertThat(HardLinks.of(tree).groups().values()).containsExactly(List.of("usr/bin/runc", "usr/sbin/runc.hard"));
    }

    @Test
    void refusesToMoveWhatIsMissingADirectoryOrOntoTheRoot() {
        FileTree tree = new FileTree();
        tree.addFile("d/f", FILE, text("f"));

        assertThatThrownBy(() -> tree.move("missing", "x")).hasMessage("cannot move \"missing\": it is not in the tree");
        assertThatThrownBy(() -> tree.move("d", "x")).hasMessageContaining("it is a directory");
        assertThatThrownBy(() -> tree.move("d/f", "/")).hasMessageContaining("to the root of the tree");
        assertThatThrownBy(() -> tree.move("d/f", "../f")).isInstanceOf(PathEscapeException.class);
        assertThat(tree.entries().keySet()).containsExactly("d", "d/f");
    }
}
