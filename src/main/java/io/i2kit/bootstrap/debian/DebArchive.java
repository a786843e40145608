package io.i2kit.bootstrap.debian;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.bootstrap.image.FsNode;
import io.i2kit.bootstrap.image.RootFs;
import io.i2kit.yaml.Position;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Unpacks a .deb as {@code dpkg -x} does, without maintainer scripts: the {@code data.tar.*}
 * member of the ar archive goes into a {@link RootFs} with its owners and modes. Nothing is
 * written to disk, and member names that are absolute or contain {@code ..} are refused.
 */
public final class DebArchive {
    private DebArchive() {
    }

    public static void unpack(Path deb, RootFs into) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
            unpack(in, deb.getFileName().toString(), into);
        } catch (IOException e) {
            throw new I2kitException("cannot read the Debian package " + deb + ": " + e.getMessage(), e);
        }
    }

    public static void unpack(InputStream deb, String label, RootFs into) throws IOException {
        ArArchiveInputStream ar = new ArArchiveInputStream(deb);
        for (ArArchiveEntry member = ar.getNextEntry(); member != null; member = ar.getNextEntry()) {
            String name = member.getName();
            if (name.startsWith("data.tar")) {
                unpackTar(new TarArchiveInputStream(decompressor(name, ar, label)), label, into);
                return;
            }
        }
        throw new InvalidInputException(Position.unknown(label), "not a Debian binary package: it has no data.tar member");
    }

    private static InputStream decompressor(String member, InputStream in, String label) throws IOException {
        if (member.equals("data.tar")) {
            return in;
        } else if (member.endsWith(".xz")) {
            return new XZCompressorInputStream(in);
        } else if (member.endsWith(".zst")) {
            return new ZstdCompressorInputStream(in);
        } else if (member.endsWith(".gz")) {
            return new GzipCompressorInputStream(in);
        }
        throw new InvalidInputException(Position.unknown(label), "unsupported compression of " + member + " (i2kit reads xz, zstd and gzip)");
    }

    /** Reads a tar into {@code into}: directories, regular files, symbolic links; hard links become copies. */
    public static void unpackTar(TarArchiveInputStream tar, String label, RootFs into) throws IOException {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String path;
            try {
                path = RootFs.archivePath(e.getName());
            } catch (InvalidInputException refused) {
                throw new InvalidInputException(Position.unknown(label), refused.getMessage(), refused);
            }
            int mode = e.getMode() & 07777;
            FsNode node;
            if (e.isDirectory()) {
                node = new FsNode(FsNode.Type.DIRECTORY, mode, (int) e.getLongUserId(), (int) e.getLongGroupId(),
                        e.getUserName(), e.getGroupName(), null, null);
            } else if (e.isSymbolicLink()) {
                node = new FsNode(FsNode.Type.SYMLINK, 0777, (int) e.getLongUserId(), (int) e.getLongGroupId(),
                        e.getUserName(), e.getGroupName(), e.getLinkName(), null);
            } else if (e.isLink()) {
                String target = RootFs.archivePath(e.getLinkName());
                FsNode original = into.get(target).filter(n -> n.type() == FsNode.Type.FILE).orElseThrow(() ->
                        new InvalidInputException(Position.unknown(label), "hard link " + path + " names " + target + ", which is not a file before it"));
                node = new FsNode(FsNode.Type.FILE, mode, (int) e.getLongUserId(), (int) e.getLongGroupId(),
                        e.getUserName(), e.getGroupName(), null, original.content());
            } else if (e.isFile()) {
                node = new FsNode(FsNode.Type.FILE, mode, (int) e.getLongUserId(), (int) e.getLongGroupId(),
                        e.getUserName(), e.getGroupName(), null, tar.readAllBytes());
            } else {
                continue; // devices and fifos: Debian packages ship none an image needs
            }
            into.put(path, node);
        }
    }
}
