package io.i2kit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: compared byte for byte, rewritten when the tests run with {@code -Dgolden.update=true}
 * so that changes are reviewed as diffs.
 */
public final class Golden {
    private Golden() {
    }

    public static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }

    public static void assertMatches(Path golden, String actual) {
        try {
            if (updating()) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(golden).as("golden file %s (regenerate with -Dgolden.update=true)", golden).exists();
            assertThat(actual).as("golden file %s (regenerate with -Dgolden.update=true)", golden)
                    .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
