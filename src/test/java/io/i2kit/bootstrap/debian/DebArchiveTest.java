package io.i2kit.bootstrap.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import io.i2kit.bootstrap.image.FsNode;
import io.i2kit.bootstrap.image.RootFs;
import io.i2kit.testing.ErrorText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;

class DebArchiveTest {
    /** A tar entry to write: a name, its type, a link target or content, a mode. */
    record Member(String name, byte type, String linkOrContent, int mode) {
    }

    static byte[] tar(Member... members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Member m : members) {
                TarArchiveEntry e = new TarArchiveEntry(m.name(), m.type(), true);
                e.setMode(m.mode());
                e.setUserId(m.name().contains("games") ? 5 : 0);
                e.setGroupId(m.name().contains("games") ? 60 : 0);
                byte[] data = m.linkOrContent().getBytes(StandardCharsets.UTF_8);
                if (m.type() == TarConstants.LF_NORMAL) {
                    e.setSize(data.length);
                } else if (m.type() != TarConstants.LF_DIR) {
                    e.setLinkName(m.linkOrContent());
                }
                tar.putArchiveEntry(e);
                if (m.type() == TarConstants.LF_NORMAL) {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] deb(String dataMember, byte[] dataTar) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream c = dataMember.endsWith(".zst") ? new ZstdCompressorOutputStream(compressed) : new XZCompressorOutputStream(compressed)) {
            c.write(dataTar);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.xz", new byte[0]);
            member(ar, dataMember, compressed.toByteArray());
        }
        return out.toByteArray();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] data) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, data.length));
        ar.write(data);
        ar.closeArchiveEntry();
    }

    @Test
    void unpacksFilesDirectoriesLinksAndHardLinksWithOwnersAndModes() throws IOException {
        byte[] data = tar(
                new Member("./", TarConstants.LF_DIR, "", 0755),
                new Member("./usr/games/", TarConstants.LF_DIR, "", 02750),
                new Member("./usr/sbin/runc", TarConstants.LF_NORMAL, "ELF...", 0755),
                new Member("./usr/bin/runc", TarConstants.LF_SYMLINK, "../sbin/runc", 0777),
                new Member("./usr/bin/runc-copy", TarConstants.LF_LINK, "./usr/sbin/runc", 0755));
        for (String member : new String[] {"data.tar.xz", "data.tar.zst"}) {
            RootFs tree = new RootFs();
            DebArchive.unpack(new ByteArrayInputStream(deb(member, data)), "runc.deb", tree);
            assertThat(tree.entries().keySet()).containsExactly("usr", "usr/bin", "usr/bin/runc", "usr/bin/runc-copy", "usr/games", "usr/sbin", "usr/sbin/runc");
            assertThat(tree.get("usr/games").orElseThrow()).extracting(FsNode::mode, FsNode::uid, FsNode::gid).containsExactly(02750, 5, 60);
            assertThat(tree.get("usr/bin/runc").orElseThrow().linkTarget()).isEqualTo("../sbin/runc");
            assertThat(new String(tree.get("usr/bin/runc-copy").orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("ELF...");
            assertThat(tree.resolve("usr/bin/runc")).contains("usr/sbin/runc");
        }
    }

    @Test
    void refusesMembersThatClimbOutOfTheTree() throws IOException {
        byte[] climbing = deb("data.tar.xz", tar(new Member("./usr/../../etc/passwd", TarConstants.LF_NORMAL, "x", 0644)));
        assertThatThrownBy(() -> DebArchive.unpack(new ByteArrayInputStream(climbing), "evil.deb", new RootFs()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ErrorText.of(() -> DebArchive.unpack(new ByteArrayInputStream(climbing), "evil.deb", new RootFs())))
                .isEqualTo("evil.deb: error: refusing path \"./usr/../../etc/passwd\": it contains \"..\"");
        byte[] absolute = deb("data.tar.xz", tar(new Member("/etc/passwd", TarConstants.LF_NORMAL, "x", 0644)));
        assertThat(ErrorText.of(() -> DebArchive.unpack(new ByteArrayInputStream(absolute), "evil.deb", new RootFs())))
                .isEqualTo("evil.deb: error: refusing archive member \"/etc/passwd\": absolute path");
        byte[] hardlinkOut = deb("data.tar.xz", tar(new Member("./x", TarConstants.LF_LINK, "../../etc/shadow", 0644)));
        assertThatThrownBy(() -> DebArchive.unpack(new ByteArrayInputStream(hardlinkOut), "evil.deb", new RootFs()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("contains \"..\"");
    }

    @Test
    void aPackageWithoutDataIsNotADebianPackage() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(ErrorText.of(() -> DebArchive.unpack(new ByteArrayInputStream(out.toByteArray()), "x.deb", new RootFs())))
                .isEqualTo("x.deb: error: not a Debian binary package: it has no data.tar member");
    }
}
