package io.i2kit.oci.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.CorruptImageException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageNotFoundException;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PlatformNotFoundException;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.registry.DockerConfig;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.testing.Commands;
import io.i2kit.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI layouts made by umoci and docker archives made by skopeo, read through the standard sources. */
class LocalSourcesIT {
    @TempDir
    static Path app;
    static Digest indexDigest;

    @TempDir
    Path home;
    BlobStore store;
    ImageSources sources;

    @BeforeAll
    static void makeImages() {
        Path layout = TestImages.layout(app.resolve("images/web"));
        TestImages.image(layout, "v1", "amd64", "web v1");
        TestImages.image(layout, "arm", "arm64", "web on arm");
        indexDigest = TestImages.index(layout, "multi", Map.of("amd64", "v1", "arm64", "arm"));
        Path single = TestImages.layout(app.resolve("images/single"));
        TestImages.image(single, "only", "amd64", "the only one");
        Commands.run("skopeo", "--insecure-policy", "copy", "--quiet", "oci:" + layout + ":v1",
                "docker-archive:" + app.resolve("web.tar") + ":web:v1");
    }

    @BeforeEach
    void newStore() {
        store = new BlobStore(home.resolve("store"));
        sources = ImageSources.standard(new io.i2kit.oci.store.I2kitHome(home.resolve("store")), app, new RegistrySettings(Set.of(), DockerConfig.EMPTY));
    }

    private static ImageReference ref(String text) {
        return ImageReference.parse(text).reference().orElseThrow();
    }

    private PulledImage pull(String text, Platform platform) {
        return sources.requireImage(ref(text), Optional.empty(), platform, Progress.NONE);
    }

    @Test
    void pullsATaggedImageOfALayoutRelativeToTheManifest() {
        PulledImage image = pull("oci:images/web:v1", Platform.LINUX_AMD64);
        assertThat(image.manifestDigest()).isEqualTo(TestImages.digest(app.resolve("images/web"), "v1"));
        assertThat(sources.requireDigest(ref("oci:images/web:v1"))).isEqualTo(image.manifestDigest());
        assertThat(image.config().env()).contains("GREETING=web v1");
        image.layers().forEach(l -> assertThat(store.read(l.digest())).hasSize((int) l.size()));
    }

    @Test
    void anUntaggedLayoutMustHoldOneImage() {
        assertThat(pull("oci:images/single", Platform.LINUX_AMD64).config().env()).contains("GREETING=the only one");
        assertThatThrownBy(() -> sources.resolve(ref("oci:images/web")))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("holds 3 images; name one with oci:DIR:TAG (tags: [v1, arm, multi])");
        assertThatThrownBy(() -> sources.resolve(ref("oci:images/web:v9")))
                .hasMessageContaining("no image tagged \"v9\" in " + app.resolve("images/web"));
        assertThatThrownBy(() -> sources.resolve(ref("oci:images/none:v1")))
                .hasMessageContaining("is not an OCI image layout (no index.json)");
    }

    @Test
    void anIndexInTheLayoutIsResolvedForThePlatform() {
        assertThat(sources.requireDigest(ref("oci:images/web:multi"))).isEqualTo(indexDigest);
        assertThat(pull("oci:images/web:multi", Platform.LINUX_ARM64).config().env()).contains("GREETING=web on arm");
        assertThat(pull("oci:images/web:multi", Platform.LINUX_AMD64).config().env()).contains("GREETING=web v1");
        assertThatThrownBy(() -> pull("oci:images/web:multi", new Platform("linux", "riscv64", Optional.empty())))
                .isInstanceOf(PlatformNotFoundException.class).hasMessageContaining("offers linux/amd64, linux/arm64");
    }

    @Test
    void importsADockerArchiveWithDigestsItComputesAndAStableManifest() {
        PulledImage image = pull("docker-archive:web.tar", Platform.LINUX_AMD64);
        assertThat(image.config().env()).contains("GREETING=web v1");
        assertThat(image.config().cmd()).containsExactly("cat", "/hello.txt");
        assertThat(image.layers()).extracting(Descriptor::mediaType).containsOnly(MediaTypes.OCI_LAYER);
        assertThat(image.layers()).extracting(Descriptor::digest).isEqualTo(image.config().diffIds());
        assertThat(store.has(image.manifestDigest())).isTrue();
        assertThat(sources.requireDigest(ref("docker-archive:web.tar"))).isEqualTo(image.manifestDigest());
        assertThatThrownBy(() -> sources.pull(ref("docker-archive:web.tar"), Optional.of(indexDigest),
                Platform.LINUX_AMD64, Progress.NONE)).hasMessageContaining("not " + indexDigest + " as pinned");
        assertThatThrownBy(() -> pull("docker-archive:web.tar", Platform.LINUX_ARM64))
                .isInstanceOf(PlatformNotFoundException.class).hasMessageContaining("is an image for linux/amd64");
    }

    @Test
    void aCorruptArchiveIsAClearError() throws IOException {
        byte[] whole = Files.readAllBytes(app.resolve("web.tar"));
        Path truncated = Files.write(home.resolve("truncated.tar"), java.util.Arrays.copyOf(whole, whole.length / 3));
        Path garbage = Files.writeString(home.resolve("garbage.tar"), "this is not a tar archive at all ".repeat(40));
        ImageSources here = ImageSources.standard(new io.i2kit.oci.store.I2kitHome(home.resolve("store")), home, new RegistrySettings(Set.of(), DockerConfig.EMPTY));
        for (Path file : new Path[] {truncated, garbage}) {
            assertThatThrownBy(() -> here.resolve(ref("docker-archive:" + file.getFileName())))
                    .as(file.toString())
                    .isInstanceOf(CorruptImageException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageEndingWith("; create it again with docker save or skopeo copy … docker-archive:"
                            + file.getFileName());
        }
        assertThatThrownBy(() -> here.resolve(ref("docker-archive:missing.tar")))
                .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("there is no file " + home.resolve("missing.tar"));
    }
}
