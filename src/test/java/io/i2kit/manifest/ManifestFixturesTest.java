package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.i2kit.InvalidInputException;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.testing.ErrorText;
import io.i2kit.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every folder under {@code manifests/invalid} holds a manifest and, in {@code expected.txt}, the
 * exact error output a user sees; every folder under {@code manifests/valid} must pass.
 */
class ManifestFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/manifests");

    static Stream<Path> invalid() throws IOException {
        return cases("invalid");
    }

    static Stream<Path> valid() throws IOException {
        return cases("valid");
    }

    private static Stream<Path> cases(String kind) throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT.resolve(kind))) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidManifestsReportEveryErrorWithItsPosition(Path dir) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> Pipeline.validate(Pipeline.load(dir.resolve("i2kit.yml"), Optional.empty())));
        assertThat(e).as("%s must be rejected", dir).isNotNull();
        String shown = ErrorText.of(e).replace(dir + "/", "") + "\n";
        Golden.assertMatches(dir.resolve("expected.txt"), shown);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validManifestsPass(Path dir) {
        Pipeline.Loaded loaded = Pipeline.load(dir, Optional.empty());
        assertThat(Pipeline.validate(loaded).application().services()).isNotEmpty();
        assertThat(loaded.manifest().warnings()).isEmpty();
    }
}
