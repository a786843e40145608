package io.i2kit.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageJson;
import io.i2kit.oci.ImageManifest;
import io.i2kit.oci.ImageNotFoundException;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PlatformNotFoundException;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobMismatchException;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.testing.RegistryExtension;
import io.i2kit.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The registry source against a real registry, with images made by umoci and pushed by skopeo. */
class RegistryIT {
    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.open();

    @TempDir
    static Path images;
    static Path layout;
    static Digest indexDigest;

    @TempDir
    Path home;
    BlobStore store;
    RegistrySource source;

    @BeforeAll
    static void pushImages() {
        layout = TestImages.layout(images.resolve("layout"));
        TestImages.image(layout, "v1", "amd64", "hello from amd64");
        TestImages.image(layout, "arm", "arm64", "hello from arm64");
        TestImages.image(layout, "tamper", "amd64", "a layer to tamper with");
        indexDigest = TestImages.index(layout, "multi", Map.of("amd64", "v1", "arm64", "arm"));
        REGISTRY.push(layout, "v1", "demo/app:v1");
        REGISTRY.push(layout, "v1", "demo/docker:v1", "--format", "v2s2");
        REGISTRY.push(layout, "multi", "demo/multi:latest", "--all");
        REGISTRY.push(layout, "tamper", "demo/tamper:v1");
    }

    private void newStore() {
        store = new BlobStore(home.resolve("store"));
        source = new RegistrySource(store, new RegistrySettings(Set.of(REGISTRY.host()), DockerConfig.EMPTY));
    }

    private ImageReference ref(String text) {
        return ImageReference.parse(REGISTRY.host() + "/" + text).reference().orElseThrow();
    }

    private PulledImage pull(String text, Platform platform) {
        return source.pull(ref(text), Optional.empty(), platform, Progress.NONE).orElseThrow();
    }

    private void assertStoredAndIntact(PulledImage image) throws IOException {
        assertThat(store.has(image.manifestDigest())).isTrue();
        assertThat(store.has(image.configDigest())).isTrue();
        for (Descriptor layer : image.layers()) {
            try (InputStream in = store.open(layer.digest())) {
                assertThat(in.readAllBytes()).hasSize((int) layer.size()); // reading to the end re-checks the digest
            }
        }
    }

    @Test
    void pullsByTagIntoTheStoreVerifiedWithProgressPerBlob() throws IOException {
        newStore();
        RecordingProgress progress = new RecordingProgress();
        PulledImage image = source.pull(ref("demo/app:v1"), Optional.empty(), Platform.LINUX_AMD64, progress).orElseThrow();
        assertThat(image.manifestDigest()).isEqualTo(TestImages.digest(layout, "v1"));
        assertThat(image.config().cmd()).containsExactly("cat", "/hello.txt");
        assertThat(image.config().env()).contains("GREETING=hello from amd64");
        assertThat(image.config().platform().architecture()).isEqualTo("amd64");
        assertThat(image.layers()).hasSize(1).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP));
        assertStoredAndIntact(image);
        String task = image.layers().get(0).digest().shortForm();
        assertThat(progress.events).containsExactly("start " + task + " " + image.layers().get(0).size(),
                "finish " + task + " pulled " + image.layers().get(0).size() + " bytes");
        assertThat(progress.advanced).isEqualTo(image.layers().get(0).size());

        RecordingProgress again = new RecordingProgress();
        source.pull(ref("demo/app:v1"), Optional.empty(), Platform.LINUX_AMD64, again);
        assertThat(again.events).containsExactly("finish " + task + " already stored");
    }

    @Test
    void resolvesAndPullsByDigest() throws IOException {
        newStore();
        Digest digest = source.resolve(ref("demo/app:v1")).orElseThrow();
        assertThat(digest).isEqualTo(TestImages.digest(layout, "v1"));
        PulledImage image = pull("demo/app@" + digest, Platform.LINUX_AMD64);
        assertThat(image.manifestDigest()).isEqualTo(digest);
        assertStoredAndIntact(image);
        PulledImage pinned = source.pull(ref("demo/app:v1"), Optional.of(digest), Platform.LINUX_AMD64, Progress.NONE)
                .orElseThrow();
        assertThat(pinned.manifestDigest()).isEqualTo(digest);
    }

    @Test
    void pullsDockerSchema2Manifests() throws IOException {
        newStore();
        PulledImage image = pull("demo/docker:v1", Platform.LINUX_AMD64);
        assertThat(image.manifestDigest()).isNotEqualTo(TestImages.digest(layout, "v1"));
        ImageManifest manifest = (ImageManifest) ImageJson.document(store.read(image.manifestDigest()), Optional.empty(), "m");
        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(image.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP));
        assertThat(image.config().cmd()).containsExactly("cat", "/hello.txt");
        assertStoredAndIntact(image);
    }

    @Test
    void selectsEachPlatformOfAnIndex() throws IOException {
        newStore();
        assertThat(source.resolve(ref("demo/multi:latest"))).contains(indexDigest);
        PulledImage amd64 = pull("demo/multi:latest", Platform.LINUX_AMD64);
        assertThat(amd64.manifestDigest()).isEqualTo(TestImages.digest(layout, "v1"));
        assertThat(amd64.config().env()).contains("GREETING=hello from amd64");
        PulledImage arm64 = pull("demo/multi:latest", Platform.LINUX_ARM64);
        assertThat(arm64.manifestDigest()).isEqualTo(TestImages.digest(layout, "arm"));
        assertThat(arm64.config().env()).contains("GREETING=hello from arm64");
        assertStoredAndIntact(arm64);
        assertThat(store.has(indexDigest)).isTrue();
        PulledImage pinned = source.pull(ref("demo/multi:latest"), Optional.of(indexDigest), Platform.LINUX_ARM64,
                Progress.NONE).orElseThrow();
        assertThat(pinned.manifestDigest()).isEqualTo(arm64.manifestDigest());
        assertThatThrownBy(() -> pull("demo/multi:latest", new Platform("linux", "s390x", Optional.empty())))
                .isInstanceOf(PlatformNotFoundException.class)
                .hasMessageContaining("has no image for linux/s390x; its index offers linux/amd64, linux/arm64");
    }

    @Test
    void aBlobTamperedInTheRegistryIsRefusedAndNothingIsStored() throws IOException {
        newStore();
        Digest manifestDigest = TestImages.digest(layout, "tamper");
        ImageManifest manifest = (ImageManifest) ImageJson.document(
                Files.readAllBytes(layout.resolve("blobs/sha256").resolve(manifestDigest.hex())), Optional.empty(), "m");
        Digest layer = manifest.layers().get(0).digest();
        Path data = REGISTRY.blobFile(layer);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(data, bytes);

        assertThatThrownBy(() -> pull("demo/tamper:v1", Platform.LINUX_AMD64))
                .isInstanceOf(BlobMismatchException.class)
                .hasMessageStartingWith("layer " + layer.shortForm() + " of " + REGISTRY.host() + "/demo/tamper:v1: "
                        + "content does not match its digest (expected " + layer);
        assertThat(store.has(layer)).isFalse();
        assertThat(store.has(manifest.config().digest())).isTrue();
        try (Stream<Path> tmp = Files.list(store.root().resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void aManifestThatDoesNotMatchItsPinnedDigestIsRefused() {
        newStore();
        Digest other = TestImages.digest(layout, "arm");
        // The registry has no manifest by that digest in this repository: it says so.
        assertThatThrownBy(() -> source.pull(ref("demo/app:v1"), Optional.of(other), Platform.LINUX_AMD64, Progress.NONE))
                .isInstanceOf(ImageNotFoundException.class).hasMessageContaining(other.toString());
    }

    @Test
    void unknownRepositoriesAndTagsAreClearErrors() {
        newStore();
        assertThatThrownBy(() -> pull("demo/app:nope", Platform.LINUX_AMD64))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("cannot fetch the manifest nope of " + REGISTRY.host() + "/demo/app:nope: the registry "
                        + REGISTRY.host() + " has no such image (MANIFEST_UNKNOWN: manifest unknown); check the repository "
                        + "name and the tag");
        assertThatThrownBy(() -> source.resolve(ref("nobody/here:v1")))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("/nobody/here:v1: the registry " + REGISTRY.host() + " has no such image");
    }

    @Test
    void aRegistryThatIsNotListeningIsUnreachable() throws IOException {
        String host = "127.0.0.1:" + RegistryExtension.freePort();
        RegistrySource nowhere = new RegistrySource(new BlobStore(home), new RegistrySettings(Set.of(host), DockerConfig.EMPTY));
        assertThatThrownBy(() -> nowhere.resolve(ImageReference.parse(host + "/demo/app:v1").reference().orElseThrow()))
                .isInstanceOf(RegistryUnreachableException.class)
                .hasMessage("cannot fetch the manifest v1 of " + host + "/demo/app:v1: the registry " + host
                        + " is unreachable at http://" + host + ": connection refused or host unknown; check the name, "
                        + "the network, and that the registry is running");
    }

    @Test
    void plainHttpIsOnlyUsedForRegistriesMarkedInsecure() {
        RegistrySource strict = new RegistrySource(new BlobStore(home), new RegistrySettings(Set.of(), DockerConfig.EMPTY));
        assertThatThrownBy(() -> strict.resolve(ref("demo/app:v1")))
                .isInstanceOf(RegistryUnreachableException.class)
                .hasMessageContaining("unreachable at https://" + REGISTRY.host())
                .hasMessageContaining("if this registry serves plain HTTP, list it in I2KIT_INSECURE_REGISTRIES");
    }
}
