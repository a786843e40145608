package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoppedVmsTest {
    @TempDir
    Path vms;

    @Test
    void theNewestStoppedDirectoriesStayAndWhatIsInUseIsNeverTouched() throws Exception {
        for (int i = 0; i < 8; i++) {
            Path dir = Files.createDirectories(vms.resolve("web-g1-r" + i));
            Files.writeString(dir.resolve("console.log"), "boot " + i + "\n");
            Files.setLastModifiedTime(dir, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Path oldestButRunning = vms.resolve("web-g1-r0").toAbsolutePath().normalize();

        StoppedVms.prune(vms, Set.of(oldestButRunning), 3);

        try (var left = Files.list(vms)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("web-g1-r0", "web-g1-r5", "web-g1-r6", "web-g1-r7");
        }
        assertThat(vms.resolve("web-g1-r0/console.log")).hasContent("boot 0");
    }
}
