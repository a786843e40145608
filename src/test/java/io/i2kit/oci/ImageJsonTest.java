package io.i2kit.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageJsonTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsADockerSchema2Manifest() {
        ImageDocument doc = ImageJson.document(utf8("""
                {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "%s", "size": 7},
                 "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest": "%s", "size": 9}]}
                """.formatted(A, B)), Optional.empty(), "m");
        assertThat(doc).isEqualTo(new ImageManifest(MediaTypes.DOCKER_MANIFEST,
                Descriptor.of(MediaTypes.DOCKER_CONFIG, Digest.parse(A), 7),
                List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, Digest.parse(B), 9))));
    }

    @Test
    void anOciIndexWithoutMediaTypeIsKnownByTheTransportsContentType() {
        ImageDocument doc = ImageJson.document(utf8("""
                {"schemaVersion": 2, "manifests": [
                 {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 1,
                  "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}]}
                """.formatted(A)), Optional.of("application/vnd.oci.image.index.v1+json; charset=utf-8"), "i");
        assertThat(doc).isInstanceOf(ImageIndex.class);
        assertThat(((ImageIndex) doc).manifests().get(0).platform()).contains(Platform.LINUX_ARM64);
    }

    @Test
    void refusesSchema1AndUnknownTypesAndBadDigestsWithWhereTheyAre() {
        assertThatThrownBy(() -> ImageJson.document(utf8("{\"schemaVersion\": 1}"), Optional.empty(), "the manifest of x"))
                .isInstanceOf(CorruptImageException.class).hasMessageContaining("the manifest of x is not a schema 2 manifest");
        assertThatThrownBy(() -> ImageJson.document(utf8("{\"schemaVersion\": 2, \"mediaType\": \"text/plain\"}"),
                Optional.empty(), "m")).hasMessageContaining("media type \"text/plain\"");
        assertThatThrownBy(() -> ImageJson.document(utf8("""
                {"schemaVersion": 2, "config": {"mediaType": "x", "digest": "md5:00", "size": 1}, "layers": []}"""),
                Optional.empty(), "m")).hasMessageContaining("m config: \"md5:00\" is not a digest");
        assertThatThrownBy(() -> ImageJson.document(utf8("{nope"), Optional.empty(), "m"))
                .hasMessageStartingWith("m is not valid JSON");
    }

    @Test
    void readsAConfig() {
        ImageConfig c = ImageJson.config(utf8("""
                {"os": "linux", "architecture": "amd64", "config": {"Entrypoint": null, "Cmd": ["sh"],
                 "Env": ["PATH=/bin"], "WorkingDir": "/app", "User": "", "Labels": {"k": "v"}},
                 "rootfs": {"type": "layers", "diff_ids": ["%s", "%s"]}}
                """.formatted(B, C)), "cfg");
        assertThat(c).isEqualTo(new ImageConfig(Platform.LINUX_AMD64, List.of(), List.of("sh"), List.of("PATH=/bin"),
                Optional.of("/app"), Optional.empty(), java.util.Map.of("k", "v"), List.of(Digest.parse(B), Digest.parse(C))));
    }

    @Test
    void readsTheDeclaredVolumesSorted() {
        ImageConfig c = ImageJson.config(utf8("""
                {"os": "linux", "architecture": "amd64", "config": {"Cmd": ["redis-server"],
                 "Volumes": {"/var/log": {}, "/data": {}}}, "rootfs": {"type": "layers", "diff_ids": []}}
                """), "cfg");
        assertThat(c.volumes()).containsExactly("/data", "/var/log");
    }
}
