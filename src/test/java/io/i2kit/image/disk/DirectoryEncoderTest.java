package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DirectoryEncoderTest {
    private static final int[] OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    @Test
    void oneLongEntryCarriesTheNameTerminatorAndPadding() {
        ShortName alias = ShortName.derive("loader.conf", n -> false);
        ByteBuffer out = ByteBuffer.allocate(32);
        DirectoryEncoder.longEntries(out, "loader.conf", alias);
        ByteBuffer e = le(out.array());
        assertThat(e.get(0)).isEqualTo((byte) 0x41);
        assertThat(e.get(11)).isEqualTo((byte) 0x0F);
        assertThat(e.get(13) & 0xFF).isEqualTo(alias.checksum());
        assertThat(e.getShort(26)).isZero();
        assertThat(chars(e)).isEqualTo("loader.conf\u0000\uffff");
    }

    @Test
    void longNamesSpanEntriesStoredLastPartFirst() {
        String name = "a-name-of-twenty-seven-char";
        assertThat(name).hasSize(27);
        ShortName alias = ShortName.derive(name, n -> false);
        ByteBuffer out = ByteBuffer.allocate(3 * 32);
        DirectoryEncoder.longEntries(out, name, alias);
        assertThat(DirectoryEncoder.longEntryCount(name)).isEqualTo(3);
        ByteBuffer last = le(out.array()).slice(0, 32).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer first = le(out.array()).slice(64, 32).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(last.get(0)).isEqualTo((byte) 0x43);
        assertThat(chars(last)).isEqualTo("r\u0000\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff");
        assertThat(first.get(0)).isEqualTo((byte) 0x01);
        assertThat(chars(first)).isEqualTo("a-name-of-twe");
    }

    @Test
    void aNameOfExactlyThirteenCharactersHasNoTerminator() {
        ByteBuffer out = ByteBuffer.allocate(32);
        DirectoryEncoder.longEntries(out, "thirteen-char", ShortName.derive("thirteen-char", n -> false));
        assertThat(chars(le(out.array()))).isEqualTo("thirteen-char");
    }

    @Test
    void shortEntryHoldsClusterSizeAndTheFatEpoch() {
        ByteBuffer out = ByteBuffer.allocate(32);
        DirectoryEncoder.shortEntry(out, ShortName.exact("BOOTX64.EFI").bytes(), DirectoryEncoder.ATTR_ARCHIVE,
                0x12345, 140891);
        ByteBuffer e = le(out.array());
        assertThat(new String(out.array(), 0, 11, StandardCharsets.US_ASCII)).isEqualTo("BOOTX64 EFI");
        assertThat(e.get(11)).isEqualTo((byte) 0x20);
        assertThat(e.getShort(20)).isEqualTo((short) 0x1);
        assertThat(e.getShort(26)).isEqualTo((short) 0x2345);
        assertThat(e.getInt(28)).isEqualTo(140891);
        assertThat(e.getShort(24)).isEqualTo((short) 0x21); // 1980-01-01
        assertThat(e.getShort(22)).isZero(); // 00:00:00
    }

    private static String chars(ByteBuffer entry) {
        StringBuilder s = new StringBuilder();
        for (int offset : OFFSETS) {
            s.append(entry.getChar(offset));
        }
        return s.toString();
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
