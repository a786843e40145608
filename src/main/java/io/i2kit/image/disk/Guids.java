package io.i2kit.image.disk;

import io.i2kit.oci.Digest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * GUIDs for reproducible disks: derived from a seed digest and a label instead of drawn at random,
 * shaped like random (version 4, RFC 4122 variant) GUIDs so tools treat them as ordinary ones.
 */
final class Guids {
    private Guids() {
    }

    static UUID derive(Digest seed, String label) {
        MessageDigest sha = Digest.sha256();
        sha.update(HexFormat.of().parseHex(seed.hex()));
        sha.update(("/" + label).getBytes(StandardCharsets.UTF_8));
        byte[] b = sha.digest();
        b[6] = (byte) ((b[6] & 0x0F) | 0x40);
        b[8] = (byte) ((b[8] & 0x3F) | 0x80);
        ByteBuffer big = ByteBuffer.wrap(b);
        return new UUID(big.getLong(0), big.getLong(8));
    }

    /** A 32-bit value derived like {@link #derive}, for the FAT volume ID. */
    static int deriveInt(Digest seed, String label) {
        return (int) derive(seed, label).getMostSignificantBits();
    }

    /**
     * The 16 bytes GPT stores: the first three fields little-endian, the last eight bytes as
     * written ("mixed endian", as in EFI_GUID).
     */
    static byte[] toGptBytes(UUID uuid) {
        ByteBuffer big = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(big.getInt(0)).putShort(big.getShort(4)).putShort(big.getShort(6));
        out.put(big.array(), 8, 8);
        return out.array();
    }
}
