package io.i2kit.bootstrap.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootFsTest {
    private static RootFs libc() {
        RootFs t = new RootFs();
        t.put("lib/x86_64-linux-gnu/libc.so.6", FsNode.file(0755, new byte[] {1}));
        t.put("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", FsNode.file(0755, new byte[] {2}));
        t.put("lib64/ld-linux-x86-64.so.2", FsNode.symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        t.put("usr/lib/x86_64-linux-gnu/libseccomp.so.2", FsNode.symlink("libseccomp.so.2.5.4"));
        t.put("usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4", FsNode.file(0644, new byte[] {3}));
        t.put("usr/share/doc/libc6/copyright", FsNode.file(0644, new byte[] {4}));
        return t;
    }

    @Test
    void normalizesAndRefusesClimbing() {
        assertThat(RootFs.normalize("./usr//bin/./x/")).isEqualTo("usr/bin/x");
        assertThat(RootFs.normalize("/")).isEmpty();
        assertThatThrownBy(() -> RootFs.normalize("a/../../b")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void keepOnlyBringsParentsAndWhatLinksPointTo() {
        RootFs t = libc();
        t.keepOnly(List.of("lib64/ld-linux-x86-64.so.2", "usr/lib/*/libseccomp.so.2"));
        assertThat(t.entries().keySet()).containsExactly("lib", "lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                "lib64", "lib64/ld-linux-x86-64.so.2", "usr", "usr/lib", "usr/lib/x86_64-linux-gnu",
                "usr/lib/x86_64-linux-gnu/libseccomp.so.2", "usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4");
    }

    @Test
    void dropRemovesWholeTreesAndMoveReplacesALink() {
        RootFs t = libc();
        t.drop(List.of("usr/share/doc"));
        assertThat(t.get("usr/share/doc/libc6/copyright")).isEmpty();
        assertThat(t.get("usr/share")).isPresent();
        t.put("usr/sbin/runc", FsNode.file(0755, new byte[] {9}));
        t.put("usr/bin/runc", FsNode.symlink("../sbin/runc"));
        t.move("usr/sbin/runc", "usr/bin/runc");
        assertThat(t.get("usr/bin/runc").orElseThrow().type()).isEqualTo(FsNode.Type.FILE);
        assertThat(t.get("usr/sbin/runc")).isEmpty();
    }

    @Test
    void linksResolveInsideTheTreeAndLoopsDoNotResolve() {
        RootFs t = libc();
        t.put("escape", FsNode.symlink("../../../lib64/ld-linux-x86-64.so.2"));
        assertThat(t.resolve("escape")).contains("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        t.put("a", FsNode.symlink("b"));
        t.put("b", FsNode.symlink("a"));
        assertThat(t.resolve("a")).isEmpty();
    }
}
