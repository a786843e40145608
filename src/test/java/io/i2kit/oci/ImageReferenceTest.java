package io.i2kit.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "redis, docker.io/library/redis:latest",
            "redis:7, docker.io/library/redis:7",
            "bitnami/redis:7, docker.io/bitnami/redis:7",
            "ghcr.io/a/b/c:1.0, ghcr.io/a/b/c:1.0",
            "localhost:5000/web, localhost:5000/web:latest",
            "127.0.0.1:5000/web:v1, 127.0.0.1:5000/web:v1",
            "redis@" + DIGEST + ", docker.io/library/redis@" + DIGEST,
            "redis:7@" + DIGEST + ", docker.io/library/redis:7@" + DIGEST,
            "oci:images/web, oci:images/web",
            "oci:../images/web:latest, oci:../images/web:latest",
            "docker-archive:web.tar, docker-archive:web.tar",
    })
    void normalisesReferences(String text, String canonical) {
        assertThat(ImageReference.parse(text).reference()).hasValueSatisfying(r -> {
            assertThat(r.toString()).isEqualTo(canonical);
            assertThat(ImageReference.parse(r.toString()).reference()).contains(r);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Redis | \"Redis\" is not a valid name component (lowercase letters, digits, and . _ - between them)",
            "redis:bad/tag:x | \"redis:bad\" is not a valid registry host",
            "redis:-x | \"-x\" is not a valid tag",
            "redis@sha256:abc | digest \"sha256:abc\" is not sha256: followed by 64 lowercase hex digits",
            "redis:: | \"\" is not a valid tag",
            "oci: | oci: needs a directory, as in oci:images/web:latest",
            "reg.io/-bad | \"-bad\" is not a valid name component (lowercase letters, digits, and . _ - between them)",
    })
    void rejectsMalformedReferences(String text, String error) {
        assertThat(ImageReference.parse(text).error()).isEqualTo(error);
    }
}
