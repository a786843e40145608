package io.i2kit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Manifests and environment files written by a test, inline, where it wants them (usually under its
 * {@code @TempDir}):
 *
 * <pre>{@code Path app = InlineManifest.app(dir.resolve("web"), """
 *         name: web
 *         services: ...
 *         """);
 * Path aws = InlineManifest.file(dir, "aws.yml", "provider: aws\n");}</pre>
 */
public final class InlineManifest {
    private InlineManifest() {
    }

    /** Writes {@code yaml} as {@code dir/i2kit.yml}, creating {@code dir}; returns {@code dir}, what {@code -f} takes. */
    public static Path app(Path dir, String yaml) {
        file(dir, "i2kit.yml", yaml);
        return dir;
    }

    /** Writes {@code text} as {@code dir/name} (an environment file, a compose file), creating {@code dir}; returns the file. */
    public static Path file(Path dir, String name, String text) {
        try {
            return Files.writeString(Files.createDirectories(dir).resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }
}
