package io.i2kit.provider.aws.ami;

/**
 * How an image is uploaded to EBS: how many blocks are in flight at once and how failed calls are
 * retried.
 */
public record UploadSettings(int concurrency, RetryPolicy retry) {
    /**
     * 32 blocks in flight. At the ~100 ms per PutSnapshotBlock that AWS's EBS direct API performance
     * guide assumes, that is ~320 calls and ~160 MiB a second: more than most uplinks carry, yet a
     * third of the guide's 100-connection example, so several services can upload at once before
     * the account is throttled. It costs 32 connections and 16 MiB of block buffers.
     */
    public static final int DEFAULT_CONCURRENCY = 32;
    public static final UploadSettings DEFAULT = new UploadSettings(DEFAULT_CONCURRENCY, RetryPolicy.DEFAULT);

    public UploadSettings {
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("upload concurrency must be within 1..256, not " + concurrency);
        }
    }

    public UploadSettings withConcurrency(int concurrency) {
        return new UploadSettings(concurrency, retry);
    }

    public UploadSettings withRetry(RetryPolicy retry) {
        return new UploadSettings(concurrency, retry);
    }
}
