package io.i2kit.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void parsesABearerChallengeWithACommaInsideAQuotedScope() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/redis:pull,push\"").orElseThrow();
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.parameters()).isEqualTo(Map.of("realm", "https://auth.docker.io/token",
                "service", "registry.docker.io", "scope", "repository:library/redis:pull,push"));
    }

    @Test
    void namesAreCaseInsensitiveAndValuesMayBeUnquotedOrEscaped() {
        AuthChallenge c = AuthChallenge.parse("basic Realm=x, Charset=\"UTF-8\", note=\"a \\\"b\\\"\"").orElseThrow();
        assertThat(c.scheme()).isEqualTo("basic");
        assertThat(c.parameter("realm")).contains("x");
        assertThat(c.parameter("charset")).contains("UTF-8");
        assertThat(c.parameter("note")).contains("a \"b\"");
    }

    @Test
    void aSchemeAloneHasNoParameters() {
        assertThat(AuthChallenge.parse("Basic").orElseThrow().parameters()).isEmpty();
        assertThat(AuthChallenge.parse("  ")).isEmpty();
    }

    @Test
    void bearerIsPreferredWhenBothAreOffered() {
        List<AuthChallenge> all = AuthChallenge.parseAll(List.of("Basic realm=\"r\"", "Bearer realm=\"t\""));
        assertThat(all).extracting(AuthChallenge::scheme).containsExactly("bearer", "basic");
    }
}
