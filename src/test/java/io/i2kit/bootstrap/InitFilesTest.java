package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A jar keeps no file modes, so the bootstrap gives 0755 to files that start with {@code #!}
 * (README.md at the top is documentation, not copied). This checks that the rule gives every init
 * file the mode it has in git, and that every script runs under busybox.
 */
class InitFilesTest {
    @Test
    void theBootstrapsModeRuleMatchesGit() throws IOException {
        try (Stream<Path> files = Files.walk(TestInitrd.INIT_FILES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (TestInitrd.INIT_FILES.relativize(file).toString().equals("README.md")) {
                    continue;
                }
                boolean script = new String(Files.readAllBytes(file), 0, 2, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .equals("#!");
                assertThat(Files.isExecutable(file)).as(file.toString()).isEqualTo(script);
                if (script) {
                    assertThat(Files.readAllLines(file).get(0)).as(file.toString()).isEqualTo("#!/bin/busybox sh");
                }
            }
        }
    }
}
