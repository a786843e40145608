package io.i2kit.oci.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tokens are asked for over https only, unless the registry is listed as insecure. */
class AuthenticatorTest {
    @Test
    void aPlainHttpTokenRealmOfASecureRegistryIsRefusedBeforeAnyRequest() {
        // no client: the refusal must come before anything is sent
        Authenticator authenticator = new Authenticator(null, "registry.example", Optional.empty(), false);
        AuthChallenge challenge = AuthChallenge.parse("Bearer realm=\"http://auth.example/token\",service=\"r\"").orElseThrow();
        assertThatThrownBy(() -> authenticator.authorize(challenge, "repository:app:pull"))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining("names a token realm over plain http (http://auth.example/token)")
                .hasMessageContaining("I2KIT_INSECURE_REGISTRIES");
    }
}
