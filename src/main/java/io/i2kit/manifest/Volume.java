package io.i2kit.manifest;

/**
 * A data volume of a service: every replica gets its own, created on the first {@code up} and kept
 * across updates, replacements and {@code down}. The name is a DNS label, so it can name a disk,
 * a tag and a file on every target.
 */
public record Volume(String name, long sizeBytes) {
    public static final long MIB = 1024L * 1024;
    public static final long GIB = 1024 * MIB;
    /** ext4 with its journal needs a few MiB; below this a volume is a mistake. */
    public static final long MIN_SIZE = 16 * MIB;
    /** gp3's limit. */
    public static final long MAX_SIZE = 16384 * GIB;
    public static final int MAX_PER_SERVICE = 8;

    /** The size as the manifest writes it: whole GiB or MiB when exact, else bytes. */
    static String describe(long bytes) {
        if (bytes % GIB == 0) {
            return bytes / GIB + "GiB";
        }
        return bytes % MIB == 0 ? bytes / MIB + "MiB" : bytes + " bytes";
    }

    /** Whole GiB, rounded up: EBS sizes volumes in GiB. */
    public int sizeGiB() {
        return (int) ((sizeBytes + GIB - 1) / GIB);
    }
}
