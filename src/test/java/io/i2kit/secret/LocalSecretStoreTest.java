package io.i2kit.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretStoreTest {
    @TempDir
    Path home;

    private LocalSecretStore store() {
        return new LocalSecretStore(LocalSecretStore.directory(home, "polls"),
                Clock.fixed(Instant.parse("2026-12-03T17:40:12.345Z"), ZoneOffset.UTC));
    }

    @Test
    void eachSetIsTheNextVersionAndListsNamesVersionsAndDatesOnly() {
        LocalSecretStore store = store();
        assertThat(store.list()).isEmpty();
        assertThat(store.set("db-password", bytes("one")).version()).isEqualTo(1);
        assertThat(store.set("db-password", bytes("two")).version()).isEqualTo(2);
        store.set("api.key", bytes("k"));

        assertThat(store.list()).containsExactly(
                new SecretInfo("api.key", 1, Instant.parse("2026-12-03T17:40:12Z")),
                new SecretInfo("db-password", 2, Instant.parse("2026-12-03T17:40:12Z")));
        assertThat(store.versions(List.of("db-password", "unset"))).isEqualTo(Map.of("db-password", 2L));
        assertThat(new String(store.read("db-password").orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(store.read("db-password").orElseThrow().toString()).doesNotContain("two");
    }

    @Test
    void theDirectoryIsTheOwnersOnlyAndEveryFileToo() throws IOException {
        Path dir = LocalSecretStore.directory(home, "polls");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        store().set("db-password", bytes("v"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
        assertThat(dir.resolve(".tmp-db-password")).doesNotExist();
    }

    @Test
    void valuesKeepEveryByteButNul() {
        byte[] value = {'a', '\n', '"', '\\', (byte) 0xff, 1, 'z'};
        store().set("raw", value);
        assertThat(store().read("raw").orElseThrow().value()).isEqualTo(value);

        assertThatThrownBy(() -> store().set("raw", new byte[] {'a', 0})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> store().set("raw", new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> store().set("raw", new byte[SecretValue.MAX_BYTES + 1])).hasMessageContaining("at most");
    }

    @Test
    void removeDeletesOneAndSaysWhetherItWasThere() {
        LocalSecretStore store = store();
        store.set("a", bytes("1"));
        store.set("b", bytes("2"));
        assertThat(store.remove("a")).isTrue();
        assertThat(store.remove("a")).isFalse();
        assertThat(store.list()).extracting(SecretInfo::name).containsExactly("b");
        assertThat(store.read("a")).isEmpty();
    }

    @Test
    void namesFollowTheManifestsRule() {
        for (String bad : List.of("", ".hidden", "a/b", "..", "with space", "x".repeat(129))) {
            assertThatThrownBy(() -> store().set(bad, bytes("v"))).as(bad).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("is not a valid secret name");
        }
        store().set("x".repeat(128), bytes("v"));
        store().set("_a.b-C9", bytes("v"));
    }

    @Test
    void aDamagedFileIsReportedNotGuessed() throws IOException {
        Path dir = LocalSecretStore.directory(home, "polls");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("db"), "no header");
        assertThatThrownBy(() -> store().list()).hasMessageContaining("secret db in " + dir + " is damaged");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
