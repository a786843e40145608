package io.i2kit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.manifest.Container;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.ManifestValidator;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Target;
import io.i2kit.manifest.TargetReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example manifest reads, validates and resolves without a single error or warning. */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("examples");

    static Stream<Path> manifests() throws IOException {
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            List<Path> found = dirs.map(d -> d.resolve("i2kit.yml")).filter(Files::isRegularFile).sorted().toList();
            assertThat(found).as("example manifests").isNotEmpty();
            return found.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void readsValidatesAndResolvesCleanly(Path file) {
        Manifest manifest = ManifestReader.read(file);
        Problems problems = new Problems();
        ManifestValidator.validate(manifest.application(), Target.LOCAL, manifest.sources(), problems);
        DiscoveryResolver.resolve(manifest.application(), manifest.sources(), problems);

        assertThat(manifest.format()).isEqualTo(Manifest.Format.I2KIT);
        assertThat(manifest.warnings()).as("warnings while reading").isEmpty();
        assertThat(problems.sorted()).as("problems").isEmpty();
    }

    @Test
    void pollsWorkerFindsQueueAndDatabaseThroughDiscovery() {
        Discovery discovery = resolve(EXAMPLES.resolve("polls"));

        Map<String, String> worker = environment(discovery, "worker");
        assertThat(worker)
                .containsEntry("QUEUE_HOST", "queue.polls.i2kit.internal")
                .containsEntry("QUEUE_PORT", "6379")
                .containsEntry("DB_ENDPOINT", "db.polls.i2kit.internal:6379");
        assertThat(worker).doesNotContainKeys("WORKER_HOST", "WORKER_PORT", "WORKER_ENDPOINT");
    }

    /** compose's depends_on and Kubernetes' host names in env say what i2kit.yml's uses says. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"i2kit.yml", "compose.yml", "kubernetes.yml"})
    void pollsDeclaresWhatEachServiceUsesInEveryFormat(String file) {
        Discovery discovery = resolve(EXAMPLES.resolve("polls").resolve(file));

        assertThat(discovery.uses("vote")).containsExactly("queue");
        assertThat(discovery.uses("worker")).containsExactly("queue", "db");
        assertThat(discovery.uses("result")).containsExactly("db");
        assertThat(discovery.uses("queue")).isEmpty();
        assertThat(discovery.uses("db")).isEmpty();
    }

    @Test
    void pollsVoteIsNotAnnouncedToItself() {
        Map<String, String> vote = environment(resolve(EXAMPLES.resolve("polls")), "vote");

        assertThat(vote).doesNotContainKeys("VOTE_HOST", "VOTE_PORT", "VOTE_ENDPOINT");
        assertThat(vote).containsEntry("QUEUE_HOST", "queue.polls.i2kit.internal");
        assertThat(vote).as("vote uses only the queue").doesNotContainKeys("DB_HOST", "RESULT_HOST");
    }

    @Test
    void pollsResultGetsTheDatabaseFromAnExplicitPlaceholder() {
        Discovery discovery = resolve(EXAMPLES.resolve("polls"));

        assertThat(environment(discovery, "result"))
                .containsEntry("RESULT_DB_URL", "redis://db.polls.i2kit.internal:6379/0");
        assertThat(discovery.endpoint("result").orElseThrow().port()).as("first load-balancer port").isEqualTo(8080);
        assertThat(discovery.endpoint("worker")).as("a service without ports is not announced").isEmpty();
    }

    @Test
    void pollsEnvironmentFileTargetsAwsWithoutCertificate() {
        Target target = TargetReader.read(EXAMPLES.resolve("polls/aws.yml"));
        Manifest manifest = ManifestReader.read(EXAMPLES.resolve("polls"));
        Problems problems = new Problems();
        ManifestValidator.validate(manifest.application(), target, manifest.sources(), problems);

        assertThat(target.provider()).isEqualTo(Target.Provider.AWS);
        assertThat(target.region()).contains("eu-west-1");
        assertThat(target.vpc()).isEmpty();
        assertThat(target.certificate()).as("i2kit requests one in the public zone").isEmpty();
        assertThat(target.publicZone()).contains("polls.example.com");
        assertThat(problems.sorted()).isEmpty();
    }

    private static Discovery resolve(Path dir) {
        Manifest manifest = ManifestReader.read(dir);
        Problems problems = new Problems();
        Discovery discovery = DiscoveryResolver.resolve(manifest.application(), manifest.sources(), problems);
        assertThat(problems.sorted()).isEmpty();
        return discovery;
    }

    private static Map<String, String> environment(Discovery discovery, String service) {
        var s = discovery.application().service(service).orElseThrow();
        assertThat(s.containers()).hasSize(1);
        return discovery.environment(s, s.containers().get(0));
    }
}
