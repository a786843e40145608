package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FatPlannerTest {
    private static FatContent bytes(int n) {
        return FatContent.of(new byte[n]);
    }

    @Test
    void rootComesFirstAndFilesTakeWholeClustersInOneRun() {
        FatPlan plan = FatPlanner.plan(List.of(FatEntry.file("EFI/BOOT/BOOTX64.EFI", bytes(5000)),
                FatEntry.file("empty", bytes(0))), "I2KIT-EFI", 4096);
        assertThat(plan.extents()).extracting(FatPlan.Extent::path)
                .containsExactly("/", "EFI", "EFI/BOOT", "EFI/BOOT/BOOTX64.EFI");
        assertThat(plan.extents().get(0).firstCluster()).isEqualTo(2);
        FatPlan.Extent file = plan.extents().get(3);
        assertThat(file.clusters()).isEqualTo(2);
        assertThat(plan.usedClusters()).isEqualTo(5);
    }

    @Test
    void subdirectoriesStartWithDotEntries() {
        FatPlan plan = FatPlanner.plan(List.of(FatEntry.directory("loader/entries")), "I2KIT-EFI", 512);
        byte[] loader = ((FatContent.FromBytes) plan.extents().get(1).content()).bytes();
        assertThat(new String(loader, 0, 11, StandardCharsets.US_ASCII)).isEqualTo(".          ");
        assertThat(new String(loader, 32, 11, StandardCharsets.US_ASCII)).isEqualTo("..         ");
        assertThat(loader[32 + 26]).isZero(); // ".." of a top-level directory names the root as cluster 0
        byte[] root = ((FatContent.FromBytes) plan.extents().get(0).content()).bytes();
        assertThat(new String(root, 0, 11, StandardCharsets.US_ASCII)).isEqualTo("I2KIT-EFI  ");
        assertThat(root[11]).isEqualTo((byte) 0x08);
    }

    @Test
    void inputOrderDoesNotChangeThePlan() {
        List<FatEntry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.add(FatEntry.file("dir" + (i % 3) + "/a-long-file-name-" + i + ".conf", bytes(i * 700)));
        }
        FatPlan first = FatPlanner.plan(entries, "L", 512);
        Collections.shuffle(entries, new Random(7));
        assertThat(FatPlanner.plan(entries, "L", 512)).isEqualTo(first);
    }

    @Test
    void namesDifferingOnlyInCaseClash() {
        assertThatThrownBy(() -> FatPlanner.plan(List.of(FatEntry.file("Kernel", bytes(1)),
                FatEntry.file("kernel", bytes(1))), "L", 512))
                .hasMessageContaining("FAT path kernel clashes with Kernel");
        assertThatThrownBy(() -> FatPlanner.plan(List.of(FatEntry.file("a", bytes(1)),
                FatEntry.file("a/b", bytes(1))), "L", 512))
                .hasMessageContaining("clashes");
    }

    @Test
    void refusesNamesFatCannotHold() {
        assertThatThrownBy(() -> FatPlanner.plan(List.of(FatEntry.file("a:b", bytes(1))), "L", 512))
                .hasMessageContaining("\"a:b\" in a:b is not a valid FAT long name");
        assertThatThrownBy(() -> FatPlanner.plan(List.of(FatEntry.file("trailing.", bytes(1))), "L", 512))
                .hasMessageContaining("not a valid FAT long name");
    }
}
