package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Fat32GeometryTest {
    private static final long MIB_SECTORS = 2048;

    @Test
    void smallestVolumeHasEnoughSmallClustersToBeFat32() {
        Fat32Geometry g = Fat32Geometry.of(Fat32Writer.MIN_VOLUME_BYTES / 512);
        assertThat(g.sectorsPerCluster()).isEqualTo(1);
        assertThat(g.clusterCount()).isGreaterThanOrEqualTo(65_525);
        assertThatThrownBy(() -> Fat32Geometry.of(32 * MIB_SECTORS)).hasMessageContaining("FAT32 needs at least 65525");
    }

    @Test
    void aGibibyteVolumeUsesAlignedFourKibibyteClusters() {
        Fat32Geometry g = Fat32Geometry.of(1022 * MIB_SECTORS);
        assertThat(g.clusterBytes()).isEqualTo(4096);
        assertThat(g.clusterOffset(2) % 4096).isZero();
        assertThat((g.clusterCount() + 2) * 4).isLessThanOrEqualTo(g.fatSectors() * 512);
        assertThat(g.clusterOffset(2 + g.clusterCount())).isLessThanOrEqualTo(1022L << 20);
    }

    @Test
    void refusesVolumesBeyondEightGibibytes() {
        assertThatThrownBy(() -> Fat32Geometry.of(8L * 1024 * MIB_SECTORS + 1)).hasMessageContaining("8 GiB");
    }
}
