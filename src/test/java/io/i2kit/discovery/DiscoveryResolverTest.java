package io.i2kit.discovery;

import io.i2kit.manifest.Placeholder;
import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.manifest.Service;
import io.i2kit.manifest.Container;
import io.i2kit.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import io.i2kit.testing.InlineManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryResolverTest {
    private static final Discovery POLLS = Pipeline.validate(
            Pipeline.load(Path.of("src/test/resources/manifests/valid/polls"), Optional.empty()));

    private static Map<String, String> env(String service, String container) {
        Service s = POLLS.application().service(service).orElseThrow();
        Container c = s.containers().stream().filter(x -> x.name().equals(container)).findFirst().orElseThrow();
        return POLLS.environment(s, c);
    }

    @Test
    void announcesToEachServiceWhatItUses() {
        assertThat(env("worker", "worker")).as("uses: [db, queue]")
                .containsEntry("DB_ENDPOINT", "db.polls.i2kit.internal:6379")
                .containsEntry("QUEUE_PORT", "6379")
                .doesNotContainKeys("VOTE_HOST", "RESULT_PORT");
        assertThat(env("result", "web")).as("uses: [db]").containsEntry("DB_HOST", "db.polls.i2kit.internal")
                .doesNotContainKeys("QUEUE_HOST", "VOTE_HOST");
        assertThat(env("queue", "redis")).as("uses nothing").doesNotContainKeys("DB_HOST", "VOTE_HOST", "RESULT_HOST");
    }

    @Test
    void aPlaceholderImpliesUse() {
        assertThat(env("vote", "web")).as("${queue.endpoint}").containsEntry("QUEUE_HOST", "queue.polls.i2kit.internal")
                .containsEntry("QUEUE_PORT", "6379").doesNotContainKeys("DB_HOST", "RESULT_HOST");
        assertThat(POLLS.uses("vote")).containsExactly("queue");
    }

    @Test
    void usesFollowManifestOrderWhateverOrderTheyAreWrittenIn() {
        assertThat(POLLS.uses("worker")).containsExactly("queue", "db");
    }

    @Test
    void discoveryAllAnnouncesEveryServiceWithPortsToEveryOtherButItself(@TempDir Path dir) {
        Discovery all = Pipeline.validate(Pipeline.load(InlineManifest.app(dir, """
                name: shop
                discovery: all
                services:
                  web: {containers: {web: {image: "busybox:1.37", ports: [80]}}}
                  worker: {containers: {worker: {image: "busybox:1.37"}}}
                  cache: {containers: {redis: {image: "redis:7.2", ports: ["tcp:6379"]}}}
                """), Optional.empty()));
        Service web = all.application().service("web").orElseThrow();

        assertThat(all.uses("worker")).containsExactly("web", "cache");
        assertThat(all.uses("web")).containsExactly("cache");
        assertThat(all.environment(web, web.containers().get(0))).containsKeys("CACHE_HOST", "CACHE_PORT", "CACHE_ENDPOINT")
                .doesNotContainKeys("WEB_HOST", "WORKER_HOST");
    }

    @Test
    void servicesWithoutPortsAreNotAnnounced() {
        assertThat(env("result", "web")).doesNotContainKeys("WORKER_HOST", "WORKER_PORT", "WORKER_ENDPOINT");
        assertThat(POLLS.endpoints()).containsOnlyKeys("vote", "queue", "db", "result");
    }

    @Test
    void theUsersOwnVariableWins() {
        assertThat(env("worker", "worker")).containsEntry("QUEUE_HOST", "override.example")
                .containsEntry("QUEUE_PORT", "6379");
    }

    @Test
    void substitutesPlaceholdersAndKeepsEscapedOnesLiteral() {
        assertThat(env("vote", "web")).containsEntry("QUEUE", "queue.polls.i2kit.internal:6379")
                .containsEntry("LITERAL", "${not.a.reference}");
    }

    @Test
    void userVariablesComeFirstThenDiscoveryInManifestOrder() {
        assertThat(env("worker", "worker").keySet()).containsExactly("MODE", "QUEUE_HOST", "QUEUE_PORT",
                "QUEUE_ENDPOINT", "DB_HOST", "DB_PORT", "DB_ENDPOINT");
    }

    @Test
    void namesAreStableNamesNeverAddresses() {
        assertThat(POLLS.endpoints().values()).allSatisfy(e -> assertThat(e.host()).endsWith(".polls.i2kit.internal")
                .doesNotContainPattern("^[0-9.]+$"));
    }

    @Test
    void hyphensBecomeUnderscoresInVariableNames() {
        assertThat(ServiceEndpoint.variablePrefix("queue-db")).isEqualTo("QUEUE_DB");
    }

    @Test
    void placeholdersParseIntoPieces() {
        assertThat(Placeholder.parse("a${x.port}b$${c}")).containsExactly(
                new Placeholder.Text("a"), new Placeholder.Ref(new Placeholder(1, 10, "x", Placeholder.Attribute.PORT)),
                new Placeholder.Text("b${c}"));
        assertThat(Placeholder.parse("${oops")).singleElement().isInstanceOf(Placeholder.Bad.class);
    }
}
