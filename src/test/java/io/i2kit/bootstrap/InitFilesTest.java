package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** init-files.modes lists exactly the files under init-files/, with the modes git gives them. */
class InitFilesTest {
    private static final Path MODES = Path.of("src/main/resources/io/i2kit/bootstrap/init-files.modes");

    @Test
    void theModesManifestMatchesTheTree() throws IOException {
        Map<String, String> listed = Files.readAllLines(MODES).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split(" ", 2))
                .collect(Collectors.toMap(f -> f[1], f -> f[0], (a, b) -> a, TreeMap::new));
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(TestInitrd.INIT_FILES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                actual.put(TestInitrd.INIT_FILES.relativize(file).toString(), Files.isExecutable(file) ? "0755" : "0644");
            }
        }
        assertThat(listed).isEqualTo(actual);
    }

    @Test
    void scriptsRunUnderBusybox() throws IOException {
        for (String script : Files.readAllLines(MODES)) {
            if (script.startsWith("0755 ")) {
                Path file = TestInitrd.INIT_FILES.resolve(script.substring(5));
                assertThat(Files.readAllLines(file).get(0)).as(file.toString()).isEqualTo("#!/bin/busybox sh");
            }
        }
    }
}
