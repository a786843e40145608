package io.i2kit.provider.aws.ami;

import java.nio.file.Path;

/**
 * Which 512 KiB blocks of a disk image hold data, in ascending order; the others are all zeros,
 * which an EBS snapshot does not store and so are never sent.
 */
record ImageBlocks(Path image, long size, int total, int[] data) {
    static final long GIB = 1L << 30;

    ImageBlocks {
        data = data.clone();
    }

    @Override
    public int[] data() {
        return data.clone();
    }

    int dataCount() {
        return data.length;
    }

    int zeroCount() {
        return total - data.length;
    }

    /** What the blocks to send weigh: whole blocks, the last one padded. */
    long dataBytes() {
        return (long) data.length * EbsDirectClient.BLOCK_SIZE;
    }

    /** The snapshot's size: the image rounded up to whole GiB, as EBS volumes are, and at least 1. */
    long volumeGib() {
        return Math.max(1, (size + GIB - 1) / GIB);
    }
}
