package io.i2kit.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import io.i2kit.testing.ErrorText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
    @TempDir
    Path dir;

    private static String auth(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsLoginsFromDockerConfigAndMatchesHostsWrittenAsUrls() throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "127.0.0.1:5000": {"auth": "%s"},
                  "ghcr.io": {}
                }, "credsStore": "desktop"}
                """.formatted(auth("hub:secret"), auth("me:pa:ss")));
        DockerConfig config = DockerConfig.fromEnvironment(Map.of("DOCKER_CONFIG", dir.toString()));
        assertThat(config.forHost("docker.io")).hasValueSatisfying(c -> {
            assertThat(c.username()).isEqualTo("hub");
            assertThat(c.password()).isEqualTo("secret");
        });
        assertThat(config.forHost("127.0.0.1:5000").orElseThrow().password()).isEqualTo("pa:ss");
        assertThat(config.forHost("ghcr.io")).isEmpty();
        assertThat(config.forHost("127.0.0.1:5001")).isEmpty();
    }

    @Test
    void noFileMeansNoLogins() {
        assertThat(DockerConfig.fromEnvironment(Map.of("DOCKER_CONFIG", dir.resolve("none").toString())))
                .isEqualTo(DockerConfig.EMPTY);
    }

    @Test
    void errorsNameTheFileButNeverItsSecrets() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"h\": {\"auth\": \"" + auth("u-only")
                + "\"}}}");
        assertThatThrownBy(() -> DockerConfig.read(file)).isInstanceOf(InvalidInputException.class);
        assertThat(ErrorText.of(() -> DockerConfig.read(file)))
                .startsWith(file + ": error: auths.h.auth is not base64 of user:password")
                .doesNotContain("u-only");
        Files.writeString(file, "{\"auths\": {\"h\": {\"auth\": \"topsecret-not-json");
        assertThatThrownBy(() -> DockerConfig.read(file)).hasMessageNotContaining("topsecret");
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        RegistryCredentials c = new RegistryCredentials("alice", "hunter2", "/x/config.json");
        assertThat(c.toString()).contains("alice", "/x/config.json").doesNotContain("hunter2");
        assertThat(c.basicHeader()).isEqualTo("Basic " + auth("alice:hunter2"));
    }

    @Test
    void insecureHostsComeFromTheEnvironment() {
        RegistrySettings s = RegistrySettings.fromEnvironment(Map.of(RegistrySettings.INSECURE_ENV, " 127.0.0.1:5000, reg:80 ",
                "DOCKER_CONFIG", dir.toString()));
        assertThat(s.insecureHosts()).containsExactlyInAnyOrder("127.0.0.1:5000", "reg:80");
        assertThat(s.insecure("127.0.0.1:5001")).isFalse();
    }
}
