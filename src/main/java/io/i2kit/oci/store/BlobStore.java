package io.i2kit.oci.store;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A content-addressed store of blobs ({@code blobs/sha256/<hex>} under an OCI layout root). A blob
 * is hashed while it streams in and only renamed into place once complete and verified, so a crash
 * or an interrupted download never leaves a file under a digest name, and two processes writing
 * the same blob at once both end with the same complete file.
 */
public final class BlobStore {
    private final Path root;

    public BlobStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path path(Digest digest) {
        return root.resolve("blobs").resolve("sha256").resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /**
     * Stores {@code content}; when {@code expected} is given the content must hash to it, else
     * {@link BlobMismatchException} and nothing is kept. Returns the content's digest.
     */
    public Digest put(InputStream content, Optional<Digest> expected, String what) {
        Path tmp = null;
        try {
            ensureLayout();
            tmp = Files.createTempFile(Files.createDirectories(root.resolve("tmp")), "blob-", ".part");
            MessageDigest sha = Digest.sha256();
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), sha)) {
                content.transferTo(out);
                out.flush();
                channel.force(false);
            }
            Digest actual = Digest.of(sha);
            if (expected.isPresent() && !expected.get().equals(actual)) {
                throw new BlobMismatchException(what, expected.get(), actual);
            }
            Path target = path(actual);
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.exists(target)) {
                    throw e;
                }
            }
            return actual;
        } catch (IOException e) {
            throw new I2kitException("cannot store " + what + " in " + root + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    public Digest put(byte[] content, String what) {
        return put(new java.io.ByteArrayInputStream(content), Optional.empty(), what);
    }

    public byte[] read(Digest digest) {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new I2kitException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a stored blob, checking its digest as it is read: the last read throws
     * {@link BlobMismatchException} if the file was changed since it was stored.
     */
    public InputStream open(Digest digest) {
        try {
            InputStream raw = Files.newInputStream(path(digest));
            MessageDigest sha = Digest.sha256();
            return new FilterInputStream(new java.security.DigestInputStream(raw, sha)) {
                private boolean checked;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        check();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n < 0) {
                        check();
                    }
                    return n;
                }

                private void check() {
                    if (!checked) {
                        checked = true;
                        Digest actual = Digest.of(sha);
                        if (!actual.equals(digest)) {
                            throw new BlobMismatchException("stored blob " + path(digest), digest, actual);
                        }
                    }
                }
            };
        } catch (java.nio.file.NoSuchFileException e) {
            throw new I2kitException("blob " + digest + " is not in the store " + root, e);
        } catch (IOException e) {
            throw new I2kitException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    private void ensureLayout() throws IOException {
        Path marker = root.resolve("oci-layout");
        if (!Files.exists(marker)) {
            Files.createDirectories(root);
            Path tmp = Files.createTempFile(root, "oci-layout", ".part");
            Files.writeString(tmp, "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteQuietly(tmp);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover .part file is harmless: nothing reads tmp/, and prune removes it
            }
        }
    }
}
