package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobMismatchException;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.oci.store.I2kitHome;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks layer blobs into the cache {@code $I2KIT_HOME/layers/<diff_id hex>/}, once per layer.
 *
 * <p>A layer is unpacked into a fresh directory under {@code $I2KIT_HOME/tmp} and renamed into
 * place only after its uncompressed stream matched the image config's diff_id and its index was
 * written. A directory under {@code layers/} is therefore always complete: a crash leaves at most
 * litter in {@code tmp/}, and when two builds unpack the same layer at once, the first rename wins
 * and the other build uses the winner's copy.
 */
public final class LayerUnpacker {
    private final BlobStore blobs;
    private final I2kitHome home;
    private final LayerLimits limits;

    public LayerUnpacker(BlobStore blobs, I2kitHome home) {
        this(blobs, home, LayerLimits.fromEnvironment());
    }

    public LayerUnpacker(BlobStore blobs, I2kitHome home, LayerLimits limits) {
        this.blobs = blobs;
        this.home = home;
        this.limits = limits;
    }

    /** Every layer of {@code image}, in application order. */
    public List<UnpackedLayer> unpack(PulledImage image, Progress progress) {
        List<Digest> diffIds = image.config().diffIds();
        if (diffIds.size() != image.layers().size()) {
            throw new I2kitException("image " + image.reference() + " has " + image.layers().size()
                    + " layers but its config lists " + diffIds.size() + " diff_ids; the image is malformed");
        }
        List<UnpackedLayer> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            layers.add(unpack(image.layers().get(i), diffIds.get(i), progress));
        }
        return layers;
    }

    public UnpackedLayer unpack(Descriptor layer, Digest diffId, Progress progress) {
        Path target = home.layers().resolve(diffId.hex());
        if (Files.isRegularFile(target.resolve(LayerIndex.FILE))) {
            UnpackedLayer cached = LayerIndex.read(target, diffId);
            if (intact(cached)) {
                return cached;
            }
            // a file of it lost or cut short (a crash before the disk had it, a hand that pruned it):
            // unpacked again from its verified blob rather than built into an image
            deleteTree(target);
        }
        String task = "unpack " + layer.digest().shortForm();
        Path work = null;
        try {
            Files.createDirectories(home.layers());
            work = Files.createTempDirectory(Files.createDirectories(home.tmp()), "layer-" + diffId.shortForm() + "-");
            progress.start(task, layer.size());
            UnpackedLayer unpacked = unpackInto(work, layer, diffId, progress, task);
            LayerIndex.write(work, unpacked);
            if (moveIntoPlace(work, target)) {
                work = null;
            }
            progress.finish(task, "unpacked " + unpacked.entries().size() + " entries of layer "
                    + layer.digest().shortForm());
            return LayerIndex.read(target, diffId);
        } catch (IOException e) {
            throw new I2kitException("cannot unpack layer " + layer.digest() + " into " + target + ": "
                    + e.getMessage() + " (is there space left under " + home.root() + "?)", e);
        } finally {
            deleteTree(work);
        }
    }

    private UnpackedLayer unpackInto(Path work, Descriptor layer, Digest diffId, Progress progress, String task)
            throws IOException {
        UnpackedLayer named = new UnpackedLayer(diffId, layer.digest(), work, List.of());
        MessageDigest sha = Digest.sha256();
        InputStream blob = counting(blobs.open(layer.digest()), progress, task);
        try (BufferedInputStream sniffed = new BufferedInputStream(blob, 1 << 16)) {
            List<LayerEntry> entries;
            try (InputStream plain = LayerCompression.detect(sniffed).decompress(sniffed);
                 DigestInputStream hashed = new DigestInputStream(plain, sha)) {
                entries = new TarLayerReader(named.describe(), work, limits).read(hashed);
                // diff_id covers the whole stream, including the padding after the tar's end marker
                hashed.transferTo(OutputStream.nullOutputStream());
                sniffed.transferTo(OutputStream.nullOutputStream()); // at its end, the store verifies the blob
            }
            Digest actual = Digest.of(sha);
            if (!actual.equals(diffId)) {
                throw new BlobMismatchException(named.describe() + " uncompressed", diffId, actual);
            }
            return new UnpackedLayer(diffId, layer.digest(), work, entries);
        }
    }

    /** True if ours is now the cached copy; false if another build put an identical one first. */
    /** Whether every file the index lists is there at its size: a stat each, no read. */
    static boolean intact(UnpackedLayer layer) {
        for (LayerEntry e : layer.entries()) {
            if (e.type() == LayerEntry.Type.FILE) {
                Path data = layer.dir().resolve(e.data());
                try {
                    if (Files.size(data) != e.size()) {
                        return false;
                    }
                } catch (IOException ex) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean moveIntoPlace(Path work, Path target) throws IOException {
        // on disk before it is in place: after a power cut the directory is there whole or not at all
        syncFileSystem(work);
        try {
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            if (Files.isRegularFile(target.resolve(LayerIndex.FILE))) {
                return false;
            }
            throw e;
        }
    }

    /** One {@code sync -f} flushes the layer's thousands of files at once, instead of an fsync each. */
    private static void syncFileSystem(Path dir) throws IOException {
        try {
            Process sync = new ProcessBuilder("sync", "-f", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!sync.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                sync.destroyForcibly();
                throw new IOException("sync -f " + dir + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing " + dir, e);
        }
    }

    private static InputStream counting(InputStream in, Progress progress, String task) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    progress.advance(task, n);
                }
                return n;
            }
        };
    }

    static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // litter in tmp/ is never read; a later prune removes it
        }
    }
}
