package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.oci.Digest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GuidsTest {
    private static final Digest SEED = Digest.of(new byte[] {1, 2, 3});

    @Test
    void derivedGuidsLookRandomAndAreStable() {
        UUID guid = Guids.derive(SEED, "disk");
        assertThat(guid.version()).isEqualTo(4);
        assertThat(guid.variant()).isEqualTo(2);
        assertThat(Guids.derive(SEED, "disk")).isEqualTo(guid);
        assertThat(Guids.derive(SEED, "esp")).isNotEqualTo(guid);
        assertThat(Guids.derive(Digest.of(new byte[] {1, 2, 4}), "disk")).isNotEqualTo(guid);
    }

    @Test
    void gptBytesSwapTheFirstThreeFields() {
        UUID uuid = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        assertThat(Guids.toGptBytes(uuid)).containsExactly(
                0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
    }
}
