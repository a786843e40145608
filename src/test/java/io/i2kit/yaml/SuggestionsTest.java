package io.i2kit.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void suggestionsComeOnlyForNearMisses() {
        assertThat(Suggestions.closest("replcas", List.of("replicas", "public"))).contains("replicas");
        assertThat(Suggestions.closest("zzz", List.of("replicas", "public"))).isEmpty();
    }
}
