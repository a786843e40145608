package io.i2kit.image.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes a GUID partition table (UEFI 2.x, chapter 5): a protective MBR in sector 0, the primary
 * header in sector 1 with its 128-entry array from sector 2, and the backup array and header in
 * the last 33 sectors. Partition contents are written by others.
 */
final class GptWriter {
    static final int SECTOR = 512;
    static final int ENTRIES = 128;
    static final int ENTRY_SIZE = 128;
    /** Sectors of the entry array: 128 entries of 128 bytes. */
    static final int ARRAY_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR;
    static final long FIRST_USABLE_LBA = 2 + ARRAY_SECTORS;
    private static final int HEADER_SIZE = 92;
    private static final int REVISION_1_0 = 0x0001_0000;

    private final long diskSectors;
    private final UUID diskGuid;
    private final List<GptPartition> partitions;

    GptWriter(long diskSectors, UUID diskGuid, List<GptPartition> partitions) {
        this.diskSectors = diskSectors;
        this.diskGuid = diskGuid;
        this.partitions = List.copyOf(partitions);
        if (partitions.size() > ENTRIES) {
            throw new IllegalArgumentException(partitions.size() + " partitions; a GPT here holds " + ENTRIES);
        }
        for (GptPartition p : partitions) {
            if (p.firstLba() < FIRST_USABLE_LBA || p.lastLba() > lastUsableLba()) {
                throw new IllegalArgumentException("partition " + p.name() + " (sectors " + p.firstLba() + ".."
                        + p.lastLba() + ") lies outside the usable sectors " + FIRST_USABLE_LBA + ".." + lastUsableLba());
            }
        }
    }

    long lastLba() {
        return diskSectors - 1;
    }

    long lastUsableLba() {
        return lastLba() - 1 - ARRAY_SECTORS;
    }

    void write(SparseWriter out) throws IOException {
        byte[] array = entryArray();
        out.write(0, protectiveMbr());
        out.write(SECTOR, header(1, lastLba(), 2, array));
        out.write(2L * SECTOR, array);
        long backupArrayLba = lastLba() - ARRAY_SECTORS;
        out.write(backupArrayLba * SECTOR, array);
        out.write(lastLba() * SECTOR, header(lastLba(), 1, backupArrayLba, array));
    }

    /** One MBR partition of type 0xEE over the whole disk, so MBR-only tools see it as in use. */
    byte[] protectiveMbr() {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        int entry = 446;
        b.put(entry + 1, new byte[] {0x00, 0x02, 0x00}); // CHS of sector 1
        b.put(entry + 4, (byte) 0xEE);
        b.put(entry + 5, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // CHS beyond reach
        b.putInt(entry + 8, 1);
        b.putInt(entry + 12, (int) Math.min(diskSectors - 1, 0xFFFF_FFFFL));
        b.putShort(510, (short) 0xAA55);
        return b.array();
    }

    byte[] header(long myLba, long alternateLba, long arrayLba, byte[] array) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, "EFI PART".getBytes(StandardCharsets.US_ASCII));
        b.putInt(8, REVISION_1_0);
        b.putInt(12, HEADER_SIZE);
        b.putLong(24, myLba);
        b.putLong(32, alternateLba);
        b.putLong(40, FIRST_USABLE_LBA);
        b.putLong(48, lastUsableLba());
        b.put(56, Guids.toGptBytes(diskGuid));
        b.putLong(72, arrayLba);
        b.putInt(80, ENTRIES);
        b.putInt(84, ENTRY_SIZE);
        b.putInt(88, (int) crc32(array, 0, array.length));
        // The header's CRC covers its 92 bytes with the CRC field itself zero.
        b.putInt(16, (int) crc32(b.array(), 0, HEADER_SIZE));
        return b.array();
    }

    byte[] entryArray() {
        ByteBuffer b = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < partitions.size(); i++) {
            GptPartition p = partitions.get(i);
            int at = i * ENTRY_SIZE;
            b.put(at, Guids.toGptBytes(p.type()));
            b.put(at + 16, Guids.toGptBytes(p.guid()));
            b.putLong(at + 32, p.firstLba());
            b.putLong(at + 40, p.lastLba());
            b.put(at + 56, p.name().getBytes(StandardCharsets.UTF_16LE));
        }
        return b.array();
    }

    static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
