package io.i2kit.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Digest;
import io.i2kit.oci.Platform;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.testing.RegistryExtension;
import io.i2kit.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Registries that want a login: token auth (Docker Hub's scheme) and basic auth, logins from a Docker config. */
class RegistryAuthIT {
    private static final String USER = "tester";
    private static final String PASSWORD = "s3cret-pass";

    @RegisterExtension
    static final RegistryExtension TOKEN = RegistryExtension.tokenAuth(USER, PASSWORD);
    @RegisterExtension
    static final RegistryExtension BASIC = RegistryExtension.basicAuth(USER, PASSWORD);

    @TempDir
    static Path images;
    static Digest digest;

    @TempDir
    Path home;

    @BeforeAll
    static void pushImages() {
        Path layout = TestImages.layout(images.resolve("layout"));
        TestImages.image(layout, "v1", "amd64", "behind a login");
        digest = TestImages.digest(layout, "v1");
        TOKEN.push(layout, "v1", "private/app:v1");
        TOKEN.push(layout, "v1", "public/app:v1");
        BASIC.push(layout, "v1", "private/app:v1");
    }

    /** A source whose logins come from a Docker config.json holding {@code user:password} for {@code host}. */
    private RegistrySource source(RegistryExtension registry, Optional<String> login) throws IOException {
        Path dockerDir = Files.createDirectories(home.resolve("docker"));
        String auths = login.map(l -> "\"" + registry.host() + "\": {\"auth\": \""
                + Base64.getEncoder().encodeToString(l.getBytes(StandardCharsets.UTF_8)) + "\"}").orElse("");
        Files.writeString(dockerDir.resolve("config.json"), "{\"auths\": {" + auths + "}}");
        DockerConfig config = DockerConfig.read(dockerDir.resolve("config.json"));
        return new RegistrySource(new BlobStore(home.resolve("store")),
                new RegistrySettings(Set.of(registry.host()), config));
    }

    private static ImageReference ref(RegistryExtension registry, String name) {
        return ImageReference.parse(registry.host() + "/" + name).reference().orElseThrow();
    }

    private static PulledImage pull(RegistrySource source, ImageReference ref) {
        return source.pull(ref, Optional.empty(), Platform.LINUX_AMD64, Progress.NONE).orElseThrow();
    }

    @Test
    void tokenAuthWithTheLoginOfTheDockerConfig() throws IOException {
        RegistrySource source = source(TOKEN, Optional.of(USER + ":" + PASSWORD));
        PulledImage image = pull(source, ref(TOKEN, "private/app:v1"));
        assertThat(image.manifestDigest()).isEqualTo(digest);
        assertThat(TOKEN.tokenIssuer().orElseThrow().requests())
                .contains("service=" + io.i2kit.testing.TokenIssuer.SERVICE + "&scope=repository:private/app:pull");
    }

    @Test
    void anonymousTokensServePublicRepositories() throws IOException {
        RegistrySource anonymous = source(TOKEN, Optional.empty());
        assertThat(anonymous.resolve(ref(TOKEN, "public/app:v1"))).contains(digest);
    }

    @Test
    void anonymousPullsOfPrivateRepositoriesAreRefusedClearly() throws IOException {
        RegistrySource anonymous = source(TOKEN, Optional.empty());
        assertThatThrownBy(() -> pull(anonymous, ref(TOKEN, "private/app:v1")))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageStartingWith("cannot fetch the manifest v1 of " + TOKEN.host() + "/private/app:v1: the registry "
                        + TOKEN.host() + " denied access (HTTP 401")
                .hasMessageEndingWith("check that the image exists and that your login for " + TOKEN.host()
                        + " may pull it (docker login " + TOKEN.host() + ")");
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenServiceWithoutPrintingIt() throws IOException {
        RegistrySource wrong = source(TOKEN, Optional.of(USER + ":not-" + PASSWORD));
        assertThatThrownBy(() -> pull(wrong, ref(TOKEN, "private/app:v1")))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining("the token service " + TOKEN.tokenIssuer().orElseThrow().realm() + " of " + TOKEN.host()
                        + " refused credentials of user \"" + USER + "\" from ")
                .hasMessageContaining("(HTTP 401); check the login")
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining("not-");
    }

    @Test
    void basicAuthWithTheLoginOfTheDockerConfig() throws IOException {
        RegistrySource source = source(BASIC, Optional.of(USER + ":" + PASSWORD));
        assertThat(pull(source, ref(BASIC, "private/app:v1")).manifestDigest()).isEqualTo(digest);
    }

    @Test
    void basicAuthWithoutOrWithAWrongLoginIsRefusedClearly() throws IOException {
        assertThatThrownBy(() -> source(BASIC, Optional.empty()).resolve(ref(BASIC, "private/app:v1")))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessage("the registry " + BASIC.host() + " asks for a user name and password and none is known for it; "
                        + "log in with docker login " + BASIC.host() + " (i2kit reads $DOCKER_CONFIG/config.json, default "
                        + "~/.docker/config.json)");
        assertThatThrownBy(() -> source(BASIC, Optional.of(USER + ":wrong-" + PASSWORD)).resolve(ref(BASIC, "private/app:v1")))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageContaining("denied access (HTTP 401")
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining("wrong-");
    }
}
