package io.i2kit.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.i2kit.InvalidInputException;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.manifest.Manifest;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.manifest.ManifestValidator;
import io.i2kit.yaml.Problem;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Target;
import io.i2kit.manifest.TargetReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The JSON Schemas in {@code schema/} accept the examples, reject typical mistakes, and agree with
 * i2kit's own reader and validator on every case: what the schema accepts, i2kit accepts, and the
 * mistakes the schema rejects, i2kit rejects too.
 */
class SchemaTest {
    private static final Path MANIFEST_SCHEMA = Path.of("schema/i2kit.schema.json");
    private static final Path ENVIRONMENT_SCHEMA = Path.of("schema/environment.schema.json");
    private static final Path FIXTURES = Path.of("src/test/resources/schema");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> exampleManifests() {
        return files(Path.of("examples"), 2, "i2kit.yml");
    }

    static Stream<Path> exampleEnvironments() {
        return files(Path.of("examples"), 2, "aws.yml");
    }

    static Stream<Path> validManifests() {
        return Stream.concat(exampleManifests(), files(FIXTURES.resolve("manifests/valid"), 1, ".yml"));
    }

    static Stream<Path> invalidManifests() {
        return files(FIXTURES.resolve("manifests/invalid"), 1, ".yml");
    }

    static Stream<Path> validEnvironments() {
        return Stream.concat(exampleEnvironments(), files(FIXTURES.resolve("environments/valid"), 1, ".yml"));
    }

    static Stream<Path> invalidEnvironments() {
        return files(FIXTURES.resolve("environments/invalid"), 1, ".yml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema/i2kit.schema.json", "schema/environment.schema.json"})
    void schemaIsValidDraft202012(String file) {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));

        assertThat(meta.validate(readJson(Path.of(file)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("validManifests")
    void schemaAndI2kitAcceptValidManifest(Path file) {
        assertThat(messages(MANIFEST_SCHEMA, file)).as("schema errors").isEmpty();
        assertThat(i2kitErrors(file)).as("i2kit errors").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalidManifests")
    void schemaAndI2kitRejectInvalidManifest(Path file) {
        assertThat(messages(MANIFEST_SCHEMA, file)).as("schema errors").isNotEmpty();
        assertThat(i2kitErrors(file)).as("i2kit errors").isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("validEnvironments")
    void schemaAndI2kitAcceptValidEnvironment(Path file) {
        assertThat(messages(ENVIRONMENT_SCHEMA, file)).as("schema errors").isEmpty();
        assertThat(TargetReader.read(file)).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("invalidEnvironments")
    void schemaAndI2kitRejectInvalidEnvironment(Path file) {
        assertThat(messages(ENVIRONMENT_SCHEMA, file)).as("schema errors").isNotEmpty();
        assertThat(environmentErrors(file)).as("i2kit errors").isNotEmpty();
    }

    /** Errors from everything i2kit checks before building: reading, validation and discovery. */
    private static List<String> i2kitErrors(Path file) {
        try {
            Pipeline.validate(Pipeline.load(file, java.util.Optional.empty()));
            return List.of();
        } catch (InvalidInputException e) {
            return List.of(e.getMessage());
        }
    }

    private static List<String> environmentErrors(Path file) {
        try {
            TargetReader.read(file);
            return List.of();
        } catch (InvalidInputException e) {
            return List.of(e.getMessage());
        }
    }

    private static Set<ValidationMessage> messages(Path schema, Path yaml) {
        return FACTORY.getSchema(readJson(schema)).validate(readYaml(yaml));
    }

    /** YAML through snakeyaml-engine's core schema into Jackson's tree, as an editor's YAML server sees it. */
    private static JsonNode readYaml(Path file) {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(read(file));
        return JSON.valueToTree(document);
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> files(Path dir, int depth, String suffix) {
        try (Stream<Path> found = Files.walk(dir, depth)) {
            List<Path> files = found.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix))
                    .sorted().toList();
            assertThat(files).as("files ending in %s under %s", suffix, dir).isNotEmpty();
            return files.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
