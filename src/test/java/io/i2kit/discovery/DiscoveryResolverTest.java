package io.i2kit.discovery;

import io.i2kit.manifest.Placeholder;
import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.manifest.Service;
import io.i2kit.manifest.Container;
import io.i2kit.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveryResolverTest {
    private static final Discovery POLLS = Pipeline.validate(
            Pipeline.load(Path.of("src/test/resources/manifests/valid/polls"), Optional.empty()));

    private static Map<String, String> env(String service, String container) {
        Service s = POLLS.application().service(service).orElseThrow();
        Container c = s.containers().stream().filter(x -> x.name().equals(container)).findFirst().orElseThrow();
        return POLLS.environment(s, c);
    }

    @Test
    void announcesEveryServiceWithPortsToTheOthers() {
        assertThat(env("worker", "worker")).containsEntry("VOTE_HOST", "vote.polls.i2kit.internal")
                .containsEntry("VOTE_PORT", "80")
                .containsEntry("VOTE_ENDPOINT", "vote.polls.i2kit.internal:80")
                .containsEntry("RESULT_PORT", "8080")
                .containsEntry("DB_ENDPOINT", "db.polls.i2kit.internal:6379");
    }

    @Test
    void aServiceDoesNotReceiveItsOwnVariables() {
        assertThat(env("vote", "web")).doesNotContainKeys("VOTE_HOST", "VOTE_PORT", "VOTE_ENDPOINT")
                .containsKey("RESULT_HOST");
    }

    @Test
    void servicesWithoutPortsAreNotAnnounced() {
        assertThat(env("vote", "web")).doesNotContainKeys("WORKER_HOST", "WORKER_PORT", "WORKER_ENDPOINT");
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
        assertThat(env("worker", "worker").keySet()).startsWith("MODE", "QUEUE_HOST", "VOTE_HOST", "VOTE_PORT",
                "VOTE_ENDPOINT", "QUEUE_PORT");
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
