package io.i2kit.image.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes 32-byte FAT directory entries: short (8.3) entries and the VFAT long-name entries that
 * precede them. Every timestamp is the FAT epoch, 1980-01-01 00:00, so images are reproducible.
 */
final class DirectoryEncoder {
    static final int ENTRY = 32;
    static final int ATTR_VOLUME_LABEL = 0x08;
    static final int ATTR_DIRECTORY = 0x10;
    static final int ATTR_ARCHIVE = 0x20;
    private static final int ATTR_LONG_NAME = 0x0F;
    private static final int LAST_LONG_ENTRY = 0x40;
    /** Characters per long-name entry: 5 + 6 + 2 UTF-16 code units at fixed offsets. */
    static final int LONG_NAME_CHARS = 13;
    private static final int[] CHAR_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    /** 1980-01-01: year 0 since 1980 in bits 9-15, month 1 in bits 5-8, day 1 in bits 0-4. */
    private static final short EPOCH_DATE = (short) ((1 << 5) | 1);

    private DirectoryEncoder() {
    }

    /** How many long-name entries {@code longName} takes. */
    static int longEntryCount(String longName) {
        return (longName.length() + LONG_NAME_CHARS - 1) / LONG_NAME_CHARS;
    }

    /** A short entry; the 11 name bytes are given raw so "." and ".." and labels fit too. */
    static void shortEntry(ByteBuffer out, byte[] name, int attributes, long firstCluster, long size) {
        ByteBuffer entry = slot(out);
        entry.put(0, name);
        entry.put(11, (byte) attributes);
        entry.putShort(16, EPOCH_DATE); // created
        entry.putShort(18, EPOCH_DATE); // accessed
        entry.putShort(20, (short) (firstCluster >>> 16));
        entry.putShort(24, EPOCH_DATE); // written
        entry.putShort(26, (short) firstCluster);
        entry.putInt(28, (int) size);
    }

    /** The long-name entries for {@code longName}, last part first, as the format stores them. */
    static void longEntries(ByteBuffer out, String longName, ShortName alias) {
        int count = longEntryCount(longName);
        int checksum = alias.checksum();
        for (int sequence = count; sequence >= 1; sequence--) {
            ByteBuffer entry = slot(out);
            entry.put(0, (byte) (sequence == count ? sequence | LAST_LONG_ENTRY : sequence));
            entry.put(11, (byte) ATTR_LONG_NAME);
            entry.put(13, (byte) checksum);
            int start = (sequence - 1) * LONG_NAME_CHARS;
            for (int i = 0; i < LONG_NAME_CHARS; i++) {
                int index = start + i;
                // After the name: one NUL terminator, then 0xFFFF padding.
                int c = index < longName.length() ? longName.charAt(index)
                        : index == longName.length() ? 0 : 0xFFFF;
                entry.putShort(CHAR_OFFSETS[i], (short) c);
            }
        }
    }

    private static ByteBuffer slot(ByteBuffer out) {
        ByteBuffer entry = out.slice(out.position(), ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        out.position(out.position() + ENTRY);
        return entry;
    }
}
