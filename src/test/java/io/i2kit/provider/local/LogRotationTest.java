package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log another writer keeps appending to is capped in place, its old content kept once. */
class LogRotationTest {
    @TempDir
    Path dir;

    @Test
    void capsAnAppendedLogWithoutHolesKeepingOneOlderFile() throws Exception {
        Path log = dir.resolve("console.log");
        try (FileOutputStream writer = new FileOutputStream(log.toFile(), true)) {
            writer.write("old line\n".repeat(20).getBytes(StandardCharsets.UTF_8));
            assertThat(LogRotation.rotate(log, 1000)).as("under the cap").isFalse();
            writer.write("old line\n".repeat(200).getBytes(StandardCharsets.UTF_8));
            assertThat(LogRotation.rotate(log, 1000)).isTrue();
            writer.write("new line\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(log)).as("the writer goes on at the new end, no hole before it").isEqualTo("new line\n");
        assertThat(Files.readString(dir.resolve("console.log.1"))).startsWith("old line\n").hasSize(220 * 9);
        assertThat(LogRotation.rotate(dir.resolve("missing.log"), 10)).isFalse();
    }
}
