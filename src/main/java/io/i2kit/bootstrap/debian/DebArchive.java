package io.i2kit.bootstrap.debian;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.image.Entry;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.image.PathEscapeException;
import io.i2kit.image.TreePath;
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
 * member of the ar archive goes into a {@link FileTree} with its owners and modes. Nothing is
 * written to disk, and member names that are absolute or contain {@code ..} are refused; a path
 * through a link the package (or one before it) made stays inside the tree.
 */
public final class DebArchive {
    private DebArchive() {
    }

    public static void unpack(Path deb, FileTree into) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
            unpack(in, deb.getFileName().toString(), into);
        } catch (IOException e) {
            throw new I2kitException("cannot read the Debian package " + deb + ": " + e.getMessage(), e);
        }
    }

    public static void unpack(InputStream deb, String label, FileTree into) throws IOException {
        ArArchiveInputStream ar = new ArArchiveInputStream(deb);
        for (ArArchiveEntry member = ar.getNextEntry(); member != null; member = ar.getNextEntry()) {
            String name = member.getName();
            if (name.startsWith("data.tar")) {
                unpackTar(new TarArchiveInputStream(decompressor(name, ar, label)), label, into);
                return;
            }
        }
        throw new InvalidInputException(label + " is not a Debian binary package: it has no data.tar member");
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
        throw new InvalidInputException(label + ": unsupported compression of " + member + " (i2kit reads xz, zstd and gzip)");
    }

    /** Reads a tar into {@code into}: directories, regular files, symbolic links; hard links become copies. */
    public static void unpackTar(TarArchiveInputStream tar, String label, FileTree into) throws IOException {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String path = memberPath(e.getName(), label);
            Entry.RegularFile original = e.isLink() ? original(into, memberPath(e.getLinkName(), label), path, label) : null;
            try {
                Meta meta = new Meta(e.isSymbolicLink() ? 0777 : e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId());
                if (e.isDirectory()) {
                    into.addDirectory(path, meta);
                } else if (e.isSymbolicLink()) {
                    into.addSymlink(path, meta, e.getLinkName());
                } else if (original != null) {
                    into.addFile(path, meta, original.content());
                } else if (e.isFile()) {
                    into.addFile(path, meta, tar.readAllBytes());
                }
                // devices and fifos: Debian packages ship none an image needs
            } catch (IllegalArgumentException | I2kitException refused) {
                throw new InvalidInputException(label + ": member \"" + e.getName() + "\": " + refused.getMessage());
            }
        }
    }

    /**
     * A member's path in the tree. Names are relative and have no {@code ..}: no honest package
     * needs either, so they are refused rather than re-rooted or resolved.
     */
    private static String memberPath(String name, String label) {
        if (name.startsWith("/")) {
            throw new InvalidInputException(label + ": refusing archive member \"" + name + "\": absolute path");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new InvalidInputException(label + ": refusing path \"" + name + "\": it contains \"..\"");
            }
        }
        try {
            return TreePath.normalise(name);
        } catch (PathEscapeException refused) {
            throw new InvalidInputException(label + ": " + refused.getMessage());
        }
    }

    /** The regular file a hard link names; it must come before the link. */
    private static Entry.RegularFile original(FileTree tree, String target, String path, String label) {
        return tree.realPath(target).flatMap(tree::get)
                .filter(Entry.RegularFile.class::isInstance).map(Entry.RegularFile.class::cast)
                .orElseThrow(() -> new InvalidInputException(label + ": hard link " + path + " names " + target
                        + ", which is not a file before it"));
    }
}
