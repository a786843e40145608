package io.i2kit.bootstrap.image;

import io.i2kit.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a {@link RootFs} as a reproducible tar: entries in path order, every mtime 0, owners and
 * modes as the packages gave them, and a gzip header without time or file name. The same tree
 * gives the same bytes, so the same Debian versions give the same layer and image digests.
 */
public final class LayerWriter {
    private LayerWriter() {
    }

    /** A compressed layer and the digests OCI names it by. */
    public record Layer(byte[] gzip, Digest digest, Digest diffId) {
        public long size() {
            return gzip.length;
        }
    }

    public static Layer gzipLayer(RootFs tree) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        MessageDigest uncompressed = Digest.sha256();
        try {
            GzipParameters params = new GzipParameters();
            params.setModificationTime(0);
            params.setOperatingSystem(255); // "unknown": the same bytes whichever OS builds it
            try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(compressed, params);
                 DigestOutputStream tarBytes = new DigestOutputStream(gzip, uncompressed)) {
                writeTar(tree, tarBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory layer", e);
        }
        byte[] bytes = compressed.toByteArray();
        return new Layer(bytes, Digest.of(bytes), Digest.of(uncompressed));
    }

    public static byte[] tar(RootFs tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTar(tree, out);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory tar", e);
        }
        return out.toByteArray();
    }

    /** Writes the tar and finishes it, leaving {@code out} open to its owner. */
    public static void writeTar(RootFs tree, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Map.Entry<String, FsNode> e : tree.entries().entrySet()) {
            FsNode node = e.getValue();
            TarArchiveEntry entry = switch (node.type()) {
                case DIRECTORY -> new TarArchiveEntry(e.getKey() + "/", TarConstants.LF_DIR, true);
                case FILE -> new TarArchiveEntry(e.getKey(), TarConstants.LF_NORMAL, true);
                case SYMLINK -> new TarArchiveEntry(e.getKey(), TarConstants.LF_SYMLINK, true);
            };
            int typeBits = switch (node.type()) {
                case DIRECTORY -> 040000;
                case FILE -> 0100000;
                case SYMLINK -> 0120000;
            };
            entry.setMode(typeBits | (node.mode() & 07777));
            entry.setModTime(0);
            entry.setUserId(node.uid());
            entry.setGroupId(node.gid());
            entry.setUserName(node.uname() == null ? "" : node.uname());
            entry.setGroupName(node.gname() == null ? "" : node.gname());
            if (node.type() == FsNode.Type.SYMLINK) {
                entry.setLinkName(node.linkTarget());
            }
            if (node.type() == FsNode.Type.FILE) {
                entry.setSize(node.content().length);
            }
            tar.putArchiveEntry(entry);
            if (node.type() == FsNode.Type.FILE) {
                tar.write(node.content());
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    /** Lets the tar stream be closed-by-finish without closing the stream beneath it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
