package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeFilesTest {
    @TempDir
    Path dir;

    private static DesiredState.ServiceState service(String name, long size) {
        return new DesiredState.ServiceState(name, "sha256:" + "a".repeat(64), Path.of("/k"), Path.of("/i"), "console=ttyS0",
                1, 128, 1, false, List.of(), Optional.empty(), List.of(), "{}",
                List.of(new DesiredState.VolumeState("data", size)));
    }

    @Test
    void listsWhatReplicasCreatedWithTheirSizeAndDeletesThemAll() throws Exception {
        AppPaths paths = new AppPaths(dir.resolve("app"));
        List<String> notes = new ArrayList<>();
        VolumeFiles.disks(paths, service("db", 1L << 30), 0, notes::add);
        VolumeFiles.disks(paths, service("db", 1L << 30), 1, notes::add);
        VolumeFiles.disks(paths, service("cache", 64L << 20), 0, notes::add);
        VolumeFiles.disks(paths, service("db", 1L << 30), 0, notes::add); // exists: not created again
        assertThat(notes).hasSize(3);
        Files.writeString(paths.root().resolve("state.json"), "{}");

        List<VolumeFiles.Found> found = VolumeFiles.list(paths);
        assertThat(found).extracting(VolumeFiles.Found::name).containsExactly("cache/r0/data", "db/r0/data", "db/r1/data");
        assertThat(found.get(1).sizes()).startsWith("1.0 GiB, ").endsWith(" used");
        assertThat(found.get(0).sizes()).startsWith("64 MiB");
        assertThat(found.get(1).used()).as("a sparse file takes next to nothing").isBetween(0L, 1L << 20);

        assertThat(VolumeFiles.delete(paths)).isEqualTo(found);
        assertThat(paths.volumes()).doesNotExist();
        assertThat(paths.root().resolve("state.json")).exists();
        assertThat(VolumeFiles.list(paths)).isEmpty();
    }
}
