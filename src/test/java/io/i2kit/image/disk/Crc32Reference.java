package io.i2kit.image.disk;

/** A bit-at-a-time CRC-32 (IEEE 802.3, reflected, as UEFI specifies), independent of java.util.zip. */
final class Crc32Reference {
    private Crc32Reference() {
    }

    static long of(byte[] bytes, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= bytes[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xEDB88320 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFFFFFFL;
    }
}
