package io.i2kit.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.testing.ErrorText;
import io.i2kit.testing.InlineManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockerTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final List<String> BASE = List.of();

    @TempDir
    Path dir;
    Path app;

    @BeforeEach
    void manifest() throws IOException {
        app = InlineManifest.app(dir.resolve("app"), """
                name: web
                services:
                  web:
                    containers:
                      httpd:
                        image: oci:../images/web:latest
                        ports: [80]
                      pinned:
                        image: redis@sha256:%s
                """.formatted("c".repeat(64)));
        layout("latest", A);
    }

    private void layout(String tag, String digest) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images/web"));
        Files.writeString(images.resolve("index.json"), """
                {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "digest": "%s", "size": 100, "annotations": {"org.opencontainers.image.ref.name": "%s"}}]}
                """.formatted(digest, tag));
    }

    private Locker.Result lock(LockFile existing, boolean update) {
        Manifest m = ManifestReader.read(app);
        return new Locker(List.of(new ImageSourceResolver(
                d -> ImageSources.standard(new io.i2kit.oci.store.I2kitHome(dir.resolve("store")), d, new RegistrySettings(java.util.Set.of(), io.i2kit.oci.registry.DockerConfig.EMPTY))))).lock(m, BASE, existing, update);
    }

    @Test
    void recordsTheFirstResolutionAndKeepsItUntilUpdated() {
        Locker.Result first = lock(LockFile.EMPTY, false);
        assertThat(first.lock().images()).containsExactly(java.util.Map.entry("oci:../images/web:latest", A));
        assertThat(first.added()).containsExactly("oci:../images/web:latest");
        assertThat(first.unresolved()).isEmpty();
        first.lock().write(app.resolve("i2kit.lock"));

        LockFile read = LockFile.read(app.resolve("i2kit.lock"));
        assertThat(read).isEqualTo(first.lock());
        assertThat(read.pins().pin("oci:../images/web:latest")).isEqualTo("oci:../images/web:latest@" + A);
    }

    @Test
    void aMovedTagChangesTheLockOnlyWithUpdate() throws IOException {
        LockFile locked = lock(LockFile.EMPTY, false).lock();
        layout("latest", B);
        assertThat(lock(locked, false).lock().images()).containsValue(A);
        Locker.Result updated = lock(locked, true);
        assertThat(updated.lock().images()).containsValue(B);
        assertThat(updated.changed()).containsExactly("oci:../images/web:latest");
    }

    @Test
    void aMissingTagIsReportedWithItsReasonAndTheRestIsStillLocked() throws IOException {
        layout("v2", A);
        Locker.Result result = lock(LockFile.EMPTY, false);
        assertThat(result.unresolved()).singleElement().asString().startsWith("oci:../images/web:latest: ")
                .contains("no image tagged \"latest\"", "(tags: [v2])");
        assertThat(result.lock().images()).isEmpty();
    }

    @Test
    void aCorruptLockIsReportedWithItsPosition() throws IOException {
        Path file = Files.writeString(app.resolve("i2kit.lock"), "{\"version\": 1, \"images\": {\"x\": \"nope\"}}");
        assertThat(ErrorText.of(() -> LockFile.read(file))).isEqualTo(file + ": error: images.x: \"nope\" is not a sha256 digest");
        Files.writeString(file, "{\"version\": 1,\n \"images\": {");
        assertThat(ErrorText.of(() -> LockFile.read(file))).startsWith(file + ":2:");
    }

    @Test
    void writingLeavesNoTemporaryFile() throws IOException {
        lock(LockFile.EMPTY, false).lock().write(app.resolve("i2kit.lock"));
        try (var files = Files.list(app)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("i2kit.yml", "i2kit.lock");
        }
    }
}
