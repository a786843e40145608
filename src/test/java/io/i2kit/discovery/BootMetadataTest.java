package io.i2kit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootMetadataTest {
    @Test
    void aLogTargetBecomesTheFileLogsGroup() throws Exception {
        BootMetadata metadata = new BootMetadata("polls", "vote", "polls.i2kit.internal", List.of())
                .withLogs(BootMetadata.LogTarget.of("polls", "vote"))
                .withSecrets(List.of(new BootMetadata.SecretVersion("db-password", 2)));
        JsonNode entries = new ObjectMapper().readTree(metadata.toJson()).path("i2kit").path("entries");
        assertThat(entries.at("/logs/entries/group/content").asText()).isEqualTo("/i2kit/polls/vote");
        assertThat(metadata.logs()).contains(new BootMetadata.LogTarget("/i2kit/polls/vote"));
    }

    @Test
    void withoutATargetNothingIsShipped() throws Exception {
        BootMetadata metadata = new BootMetadata("polls", "vote", "polls.i2kit.internal", List.of());
        assertThat(metadata.logs()).isEmpty();
        assertThat(new ObjectMapper().readTree(metadata.toJson()).at("/i2kit/entries").has("logs")).isFalse();
    }
}
