package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK is a dependency of the AWS provider only: no other package may name it, so that the
 * core, the local provider and the CLI never grow a reason to load it.
 */
class SdkConfinementTest {
    private static final Path SOURCES = Path.of("src/main/java/io/i2kit");

    @Test
    void onlyTheAwsProviderImportsTheSdk() throws IOException {
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(SOURCES.resolve("provider/aws")))
                    .filter(SdkConfinementTest::namesTheSdk)
                    .toList();
        }
        assertThat(offenders).as("classes outside io.i2kit.provider.aws that use the AWS SDK").isEmpty();
    }

    @Test
    void theCheckSeesTheProviderItself() throws IOException {
        assertThat(namesTheSdk(SOURCES.resolve("provider/aws/AwsContext.java"))).isTrue();
    }

    private static boolean namesTheSdk(Path file) {
        try {
            return Files.readString(file).contains("software.amazon.awssdk");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
