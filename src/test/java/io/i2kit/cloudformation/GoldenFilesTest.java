package io.i2kit.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendered templates compared byte for byte with the reviewed ones under
 * {@code src/test/resources/golden/cloudformation/<case>/}. After an intended change, regenerate
 * with {@code mvn test -Dtest=GoldenFilesTest -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static List<Fixtures.Case> cases() {
        return Fixtures.goldenCases();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesGoldenFiles(Fixtures.Case c) throws IOException {
        Path dir = Fixtures.GOLDEN.resolve(c.name());
        List<RenderedTemplate> templates = c.render();
        if (UPDATE) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path f : old.toList()) {
                        Files.delete(f);
                    }
                }
            }
            templates.forEach(t -> Fixtures.write(dir.resolve(t.fileName()), t.json()));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .as("golden files of %s; regenerate with -Dgolden.update=true", c.name())
                    .containsExactlyElementsOf(templates.stream().map(RenderedTemplate::fileName).sorted().toList());
        }
        for (RenderedTemplate t : templates) {
            assertThat(t.json()).as("%s/%s differs from its golden file; regenerate with -Dgolden.update=true",
                    c.name(), t.fileName()).isEqualTo(Files.readString(dir.resolve(t.fileName())));
        }
    }
}
