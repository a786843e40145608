package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes an EBS snapshot of a disk image through the EBS direct APIs: starts it (the image's size
 * rounded up to whole GiB), sends every block that holds data, each with its SHA-256, from a few
 * workers at once, and completes it with the count and the linear aggregate of those checksums.
 * Blocks of zeros are never sent: a snapshot reads them back as zeros anyway. A refused block
 * fails the upload at once and stops the other workers; the snapshot is then left incomplete.
 */
final class SnapshotUploader {
    /** EBS cancels a snapshot that sees no block, or no completion, for this long. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(60);

    private final EbsDirectClient ebs;
    private final UploadSettings settings;

    SnapshotUploader(EbsDirectClient ebs, UploadSettings settings) {
        this.ebs = ebs;
        this.settings = settings;
    }

    /** A completed upload: EBS may still be sealing the snapshot ({@code pending}). */
    record Uploaded(String snapshotId, long volumeGib, UploadStatistics statistics) {
    }

    /** @throws IncompleteSnapshotException when the snapshot was started but not completed */
    Uploaded upload(Path image, Map<String, String> tags, String description, String task, Progress progress) {
        long started = System.nanoTime();
        long callsBefore = ebs.calls();
        long bytesBefore = ebs.bytesSent();
        Retrier retrier = new Retrier(settings.retry());
        ImageBlocks blocks = BlockScanner.scan(image);
        String token = UUID.randomUUID().toString();
        String snapshotId = retrier.call(() -> ebs.startSnapshot(blocks.volumeGib(), tags, description, token,
                SNAPSHOT_TIMEOUT)).id();
        progress.start(task, blocks.dataBytes());
        try {
            byte[][] checksums = send(snapshotId, blocks, retrier, task, progress);
            retrier.call(() -> ebs.completeSnapshot(snapshotId, blocks.dataCount(), aggregate(checksums)));
        } catch (I2kitException e) {
            progress.finish(task, "failed; snapshot " + snapshotId + " left incomplete");
            throw new IncompleteSnapshotException(snapshotId, e);
        }
        UploadStatistics statistics = new UploadStatistics(blocks.size(), blocks.total(), blocks.dataCount(),
                blocks.zeroCount(), ebs.bytesSent() - bytesBefore, ebs.calls() - callsBefore, retrier.retries(),
                Duration.ofNanos(System.nanoTime() - started));
        progress.finish(task, statistics.summary());
        return new Uploaded(snapshotId, blocks.volumeGib(), statistics);
    }

    /** Sends the data blocks from up to {@code concurrency} workers; returns their SHA-256s in block order. */
    private byte[][] send(String snapshotId, ImageBlocks blocks, Retrier retrier, String task, Progress progress) {
        Transfer transfer = new Transfer(snapshotId, blocks.image(), blocks.data(), retrier, task, progress);
        int workers = Math.min(settings.concurrency(), blocks.dataCount());
        if (workers == 0) {
            return transfer.checksums;
        }
        AtomicInteger thread = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ebs-upload-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (FileChannel channel = FileChannel.open(blocks.image(), StandardOpenOption.READ)) {
            ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (int w = 0; w < workers; w++) {
                done.submit(() -> {
                    transfer.work(channel);
                    return null;
                });
            }
            for (int w = 0; w < workers; w++) {
                done.take().get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof I2kitException failure ? failure
                    : new I2kitException("uploading snapshot " + snapshotId + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new I2kitException("interrupted while uploading snapshot " + snapshotId, e);
        } catch (IOException e) {
            throw new I2kitException("cannot read the image " + blocks.image() + " to upload it: " + e.getMessage()
                    + "; hint: build it again with i2kit build --format raw-efi", e);
        } finally {
            // After a failure this interrupts the other workers, in their back-off or their request.
            pool.shutdownNow();
        }
        return transfer.checksums;
    }

    /** One upload's blocks, shared by its workers: each takes the next block until none is left. */
    private final class Transfer {
        private final String snapshotId;
        private final Path image;
        private final int[] data;
        private final byte[][] checksums;
        private final AtomicInteger next = new AtomicInteger();
        private final Retrier retrier;
        private final String task;
        private final Progress progress;

        Transfer(String snapshotId, Path image, int[] data, Retrier retrier, String task, Progress progress) {
            this.snapshotId = snapshotId;
            this.image = image;
            this.data = data;
            this.checksums = new byte[data.length][];
            this.retrier = retrier;
            this.task = task;
            this.progress = progress;
        }

        /** One worker: reads, hashes and sends blocks, with one buffer of its own. */
        void work(FileChannel channel) {
            byte[] bytes = new byte[EbsDirectClient.BLOCK_SIZE];
            MessageDigest sha = Digest.sha256();
            for (int i = next.getAndIncrement(); i < data.length; i = next.getAndIncrement()) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                int index = data[i];
                BlockScanner.read(channel, index, bytes, image);
                checksums[i] = sha.digest(bytes);
                String checksum = Base64.getEncoder().encodeToString(checksums[i]);
                retrier.run(() -> ebs.putSnapshotBlock(snapshotId, index, bytes, checksum));
                progress.advance(task, bytes.length);
            }
        }
    }

    /**
     * EBS's LINEAR aggregate: the SHA-256 of the blocks' SHA-256s (raw bytes) concatenated in block
     * order, in base64, as AWS's own uploader (coldsnap) computes it.
     */
    static String aggregate(byte[][] checksums) {
        MessageDigest sha = Digest.sha256();
        for (byte[] checksum : checksums) {
            sha.update(checksum);
        }
        return Base64.getEncoder().encodeToString(sha.digest());
    }
}
