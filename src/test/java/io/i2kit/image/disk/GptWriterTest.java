package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GptWriterTest {
    private static final long SECTORS = 2 * 1024 * 1024; // 1 GiB
    private static final UUID DISK = UUID.fromString("11111111-2222-4333-8444-555555555555");
    private static final UUID PART = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    private final GptWriter gpt = new GptWriter(SECTORS, DISK,
            List.of(new GptPartition(GptPartition.EFI_SYSTEM, PART, 2048, SECTORS - 2049, "EFI System Partition")));

    @Test
    void crcReferenceMatchesTheStandardCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc32Reference.of(check, 0, check.length)).isEqualTo(0xCBF43926L);
    }

    @Test
    void primaryHeaderFields() {
        byte[] array = gpt.entryArray();
        ByteBuffer h = le(gpt.header(1, SECTORS - 1, 2, array));
        assertThat(new String(h.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("EFI PART");
        assertThat(h.getInt(8)).isEqualTo(0x00010000);
        assertThat(h.getInt(12)).isEqualTo(92);
        assertThat(h.getLong(24)).isEqualTo(1);
        assertThat(h.getLong(32)).isEqualTo(SECTORS - 1);
        assertThat(h.getLong(40)).isEqualTo(34);
        assertThat(h.getLong(48)).isEqualTo(SECTORS - 34);
        assertThat(h.getLong(72)).isEqualTo(2);
        assertThat(h.getInt(80)).isEqualTo(128);
        assertThat(h.getInt(84)).isEqualTo(128);
        assertThat(Arrays.copyOfRange(h.array(), 92, 512)).containsOnly(0);
    }

    @Test
    void headerAndArrayCrcsMatchAnIndependentCrc32() {
        byte[] array = gpt.entryArray();
        byte[] header = gpt.header(1, SECTORS - 1, 2, array);
        ByteBuffer h = le(header);
        assertThat(h.getInt(88) & 0xFFFFFFFFL).isEqualTo(Crc32Reference.of(array, 0, array.length));
        int stored = h.getInt(16);
        h.putInt(16, 0);
        assertThat(stored & 0xFFFFFFFFL).isEqualTo(Crc32Reference.of(header, 0, 92));
    }

    @Test
    void backupHeaderPointsBackAtThePrimary() {
        byte[] array = gpt.entryArray();
        ByteBuffer h = le(gpt.header(SECTORS - 1, 1, SECTORS - 33, array));
        assertThat(h.getLong(24)).isEqualTo(SECTORS - 1);
        assertThat(h.getLong(32)).isEqualTo(1);
        assertThat(h.getLong(72)).isEqualTo(SECTORS - 33);
    }

    @Test
    void entryHoldsTheEfiSystemTypeInMixedEndianAndTheRange() {
        ByteBuffer e = le(gpt.entryArray());
        assertThat(HexFormat.of().formatHex(e.array(), 0, 16)).isEqualTo("28732ac11ff8d211ba4b00a0c93ec93b");
        assertThat(HexFormat.of().formatHex(e.array(), 16, 32)).isEqualTo("aaaaaaaabbbbcc4c8dddeeeeeeeeeeee");
        assertThat(e.getLong(32)).isEqualTo(2048);
        assertThat(e.getLong(40)).isEqualTo(SECTORS - 2049);
        assertThat(new String(e.array(), 56, 40, StandardCharsets.UTF_16LE)).isEqualTo("EFI System Partition");
        assertThat(Arrays.copyOfRange(e.array(), 128, 128 * 128)).containsOnly(0);
    }

    @Test
    void protectiveMbrCoversTheDisk() {
        ByteBuffer m = le(gpt.protectiveMbr());
        assertThat(m.get(446 + 4)).isEqualTo((byte) 0xEE);
        assertThat(m.getInt(446 + 8)).isEqualTo(1);
        assertThat(m.getInt(446 + 12)).isEqualTo((int) (SECTORS - 1));
        assertThat(m.getShort(510)).isEqualTo((short) 0xAA55);
    }

    @Test
    void refusesAPartitionOverlappingTheBackupTable() {
        assertThatThrownBy(() -> new GptWriter(SECTORS, DISK,
                List.of(new GptPartition(GptPartition.EFI_SYSTEM, PART, 2048, SECTORS - 2, "x"))))
                .hasMessageContaining("outside the usable sectors 34..2097118");
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
