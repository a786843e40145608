package io.i2kit.provider.aws.ami;

import java.time.Duration;
import java.util.Locale;

/**
 * What uploading one image to an EBS snapshot took.
 *
 * @param imageBytes    the image file's size
 * @param blocksTotal   512 KiB blocks in the image
 * @param blocksSent    blocks holding data, each sent once (retries are counted apart)
 * @param blocksSkipped blocks of zeros, never sent
 * @param bytesSent     request bodies sent to EBS, retries included
 * @param apiCalls      EBS direct API requests, retries included
 * @param retries       requests that were attempts after the first of their call
 * @param wallTime      from reading the image to the completed snapshot
 */
public record UploadStatistics(long imageBytes, int blocksTotal, int blocksSent, int blocksSkipped, long bytesSent,
                               long apiCalls, int retries, Duration wallTime) {

    /** {@code uploaded 13 of 2048 blocks (6.5 MiB, 2035 zero blocks skipped)}; the CLI adds the time. */
    public String summary() {
        return "uploaded " + blocksSent + " of " + blocksTotal + " blocks (" + mib(bytesSent) + ", " + blocksSkipped
                + " zero blocks skipped" + (retries > 0 ? ", " + retries + " retries" : "") + ")";
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
