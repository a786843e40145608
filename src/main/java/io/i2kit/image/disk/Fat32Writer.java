package io.i2kit.image.disk;

import io.i2kit.event.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a FAT32 file system holding the given files and directories: boot sector with its BIOS
 * parameter block, FSInfo, their backups at sector 6, two FATs and the clusters. Only what is not
 * zero is written, through a {@link SparseWriter}, so the target must read as zeros beforehand.
 * Everything derives from the inputs (fixed timestamps, a given volume ID), so the same inputs give
 * the same bytes.
 */
final class Fat32Writer {
    private static final int FSINFO_SECTOR = 1;
    private static final int BACKUP_BOOT_SECTOR = 6;
    private static final int END_OF_CHAIN = 0x0FFF_FFFF;
    /** Media descriptor for fixed disks; FAT entry 0 repeats it. */
    private static final int MEDIA = 0xF8;
    private static final int BUFFER = 1 << 20;
    /** The smallest volume with enough 512-byte clusters to be FAT32 (see {@link Fat32Geometry}). */
    static final long MIN_VOLUME_BYTES = 33L << 20;

    private final List<FatEntry> entries;
    private final String label;
    private final int volumeId;

    Fat32Writer(List<FatEntry> entries, String label, int volumeId) {
        if (label.length() > 11 || !label.matches("[A-Z0-9 _$%'@~`!(){}^#&-]+")) {
            throw new IllegalArgumentException("FAT volume label \"" + label
                    + "\" must be at most 11 upper-case letters, digits or FAT punctuation");
        }
        this.entries = List.copyOf(entries);
        this.label = label;
        this.volumeId = volumeId;
    }

    /** The smallest volume size, in whole MiB, that holds the content (clusters, FATs, reserved sectors). */
    long minimumBytes() {
        FatPlan plan = FatPlanner.plan(entries, label, SparseWriter.BLOCK);
        // Planned with 4 KiB clusters, an upper bound for smaller ones; FATs take at most 1/64 of the volume.
        long data = plan.usedClusters() * SparseWriter.BLOCK + (64 << 10);
        long bytes = Math.max(MIN_VOLUME_BYTES, data + data / 63 + 1);
        return (bytes + (1 << 20) - 1) >> 20 << 20;
    }

    /** Writes a volume of {@code bytes} bytes at {@code offset}; {@code progress} counts file bytes. */
    FatPlan write(SparseWriter out, long offset, long bytes, Progress progress, String task) throws IOException {
        if (bytes % Fat32Geometry.SECTOR != 0) {
            throw new IllegalArgumentException("FAT volume size " + bytes + " is not a multiple of 512");
        }
        Fat32Geometry geometry = Fat32Geometry.of(bytes / Fat32Geometry.SECTOR);
        FatPlan plan = FatPlanner.plan(entries, label, geometry.clusterBytes());
        if (plan.usedClusters() > geometry.clusterCount()) {
            throw new IllegalArgumentException("the files need " + plan.usedClusters() + " clusters but a volume of "
                    + bytes + " bytes has " + geometry.clusterCount());
        }
        byte[] boot = bootSector(geometry, offset / Fat32Geometry.SECTOR);
        byte[] info = fsInfo(geometry, plan);
        for (int first : new int[] {0, BACKUP_BOOT_SECTOR}) {
            out.write(offset + (long) first * Fat32Geometry.SECTOR, boot);
            out.write(offset + (long) (first + FSINFO_SECTOR) * Fat32Geometry.SECTOR, info);
        }
        byte[] fat = fat(plan);
        out.write(offset + geometry.fatOffset(0), fat);
        out.write(offset + geometry.fatOffset(1), fat);
        for (FatPlan.Extent extent : plan.extents()) {
            writeContent(out, offset + geometry.clusterOffset(extent.firstCluster()), extent, progress, task);
        }
        return plan;
    }

    private byte[] bootSector(Fat32Geometry geometry, long hiddenSectors) {
        ByteBuffer b = ByteBuffer.allocate(Fat32Geometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {(byte) 0xEB, 0x58, (byte) 0x90}); // jump over the parameter block
        b.put(3, "I2KIT   ".getBytes(StandardCharsets.US_ASCII));
        b.putShort(11, (short) Fat32Geometry.SECTOR);
        b.put(13, (byte) geometry.sectorsPerCluster());
        b.putShort(14, (short) geometry.reservedSectors());
        b.put(16, (byte) 2); // FATs
        b.put(21, (byte) MEDIA);
        b.putShort(24, (short) 63); // sectors per track and heads: CHS is unused, these are the usual values
        b.putShort(26, (short) 255);
        b.putInt(28, (int) hiddenSectors);
        b.putInt(32, (int) geometry.totalSectors());
        b.putInt(36, (int) geometry.fatSectors());
        b.putInt(44, Fat32Geometry.FIRST_CLUSTER); // the root directory's cluster
        b.putShort(48, (short) FSINFO_SECTOR);
        b.putShort(50, (short) BACKUP_BOOT_SECTOR);
        b.put(64, (byte) 0x80); // drive number: a hard disk
        b.put(66, (byte) 0x29); // extended boot signature: volume ID, label and type follow
        b.putInt(67, volumeId);
        b.put(71, FatPlanner.labelBytes(label));
        b.put(82, "FAT32   ".getBytes(StandardCharsets.US_ASCII));
        // Boot code for a BIOS that boots this by mistake: int 18h (try the next device), then halt.
        b.put(90, new byte[] {(byte) 0xCD, 0x18, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD});
        b.putShort(510, (short) 0xAA55);
        return b.array();
    }

    private static byte[] fsInfo(Fat32Geometry geometry, FatPlan plan) {
        ByteBuffer b = ByteBuffer.allocate(Fat32Geometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x41615252);
        b.putInt(484, 0x61417272);
        b.putInt(488, (int) (geometry.clusterCount() - plan.usedClusters())); // free clusters
        b.putInt(492, (int) (Fat32Geometry.FIRST_CLUSTER + plan.usedClusters())); // next free cluster hint
        b.putInt(508, 0xAA550000);
        return b.array();
    }

    /** The used part of the FAT; the rest stays zero (free). Every extent is one contiguous chain. */
    private static byte[] fat(FatPlan plan) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact((plan.usedClusters() + Fat32Geometry.FIRST_CLUSTER) * 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x0FFF_FF00 | MEDIA);
        b.putInt(4, END_OF_CHAIN); // also the "cleanly unmounted, no errors" bits
        for (FatPlan.Extent extent : plan.extents()) {
            long last = extent.firstCluster() + extent.clusters() - 1;
            for (long cluster = extent.firstCluster(); cluster < last; cluster++) {
                b.putInt((int) cluster * 4, (int) cluster + 1);
            }
            b.putInt((int) last * 4, END_OF_CHAIN);
        }
        return b.array();
    }

    private static void writeContent(SparseWriter out, long position, FatPlan.Extent extent, Progress progress,
            String task) throws IOException {
        if (extent.content() instanceof FatContent.FromBytes bytes) {
            out.write(position, bytes.buffer());
            return;
        }
        long expected = extent.content().size();
        long copied = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        try (ReadableByteChannel in = extent.content().open()) {
            while (copied <= expected) {
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                out.write(position + copied, buffer.slice(0, (int) Math.min(n, Math.max(0, expected - copied))));
                copied += n;
                progress.advance(task, n);
            }
        }
        if (copied != expected) {
            throw new IOException(extent.content().describe() + " changed while it was written to the disk: it had "
                    + expected + " bytes, then " + copied);
        }
    }
}
