package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.i2kit.pipeline.Pipeline;
import java.util.List;

/** Manifest fixtures under {@code src/test/resources/manifests}, read through the public entry point. */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/manifests");

    private Fixtures() {
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    /** The warnings as shown to users, with the fixture's folder cut from the file name. */
    static List<String> warnings(Manifest manifest) {
        Path dir = manifest.file().getParent();
        return manifest.warnings().stream().map(p -> p.toString().replace(dir + "/", "")).toList();
    }

    static String expected(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name)).stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads and validates {@code dir/file}, which must fail with exactly {@code dir/expected.txt}. */
    static void assertFails(String dir, String file) {
        Path folder = ROOT.resolve(dir);
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Pipeline.validate(Pipeline.load(folder.resolve(file), java.util.Optional.empty())));
        assertThat(e).as("reading " + folder.resolve(file)).isNotNull();
        assertThat(e.getMessage().replace(folder + "/", "")).isEqualTo(expected(folder, "expected.txt"));
    }
}
