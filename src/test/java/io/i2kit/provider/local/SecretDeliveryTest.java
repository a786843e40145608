package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.discovery.BootMetadata;
import io.i2kit.event.Event;
import io.i2kit.secret.LocalSecretStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretDeliveryTest {
    @TempDir
    Path dir;

    private static String metadata(BootMetadata.SecretVersion... secrets) {
        return new BootMetadata("app", "db", "app.i2kit.internal", List.of()).withSecrets(List.of(secrets)).toJson();
    }

    @Test
    void writesTheValuesOfTheVmsSecretsOwnerOnly() throws Exception {
        LocalSecretStore store = new LocalSecretStore(dir.resolve("secrets"));
        store.set("db-password", "p\"w\\d\n".getBytes(StandardCharsets.UTF_8));
        store.set("other", "not for this VM".getBytes(StandardCharsets.UTF_8));
        List<Event.Note> notes = new ArrayList<>();

        Path file = SecretDelivery.write(metadata(new BootMetadata.SecretVersion("db-password", 1)), store,
                dir.resolve("vm"), "db", notes::add).orElseThrow();

        assertThat(Files.readString(file)).isEqualTo("{\"db-password\":{\"perm\":\"0400\",\"content\":\"p\\\"w\\\\d\\u000a\"}}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(notes).isEmpty();
        SecretDelivery.remove(dir.resolve("vm"));
        assertThat(file).doesNotExist();
    }

    @Test
    void aVmWithoutSecretsGetsNoFile() {
        assertThat(SecretDelivery.write(metadata(), new LocalSecretStore(dir), dir.resolve("vm"), "db", n -> { }))
                .isEmpty();
    }

    @Test
    void aNewerVersionIsDeliveredAndSaidAMissingOneFails() {
        LocalSecretStore store = new LocalSecretStore(dir.resolve("secrets"));
        store.set("db-password", "1".getBytes(StandardCharsets.UTF_8));
        store.set("db-password", "2".getBytes(StandardCharsets.UTF_8));
        List<Event.Note> notes = new ArrayList<>();
        SecretDelivery.write(metadata(new BootMetadata.SecretVersion("db-password", 1)), store, dir.resolve("vm"), "db",
                notes::add);
        assertThat(notes).extracting(Event.Note::text).containsExactly(
                "secret db-password is at version 2 but the service runs version 1; this VM gets version 2 (up replaces the others)");

        assertThatThrownBy(() -> SecretDelivery.write(metadata(new BootMetadata.SecretVersion("gone", 1)), store,
                dir.resolve("vm"), "db", n -> { })).hasMessageContaining("secret gone of service db is not set");
    }

    @Test
    void escapesOnlyWhatJsonMust() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecretDelivery.escape(new byte[] {'a', '"', '\\', 1, 0x7f, (byte) 0xc3, (byte) 0xa9, (byte) 0xff}, out);
        assertThat(out.toByteArray()).isEqualTo(new byte[] {'a', '\\', '"', '\\', '\\', '\\', 'u', '0', '0', '0', '1',
                '\\', 'u', '0', '0', '7', 'f', (byte) 0xc3, (byte) 0xa9, (byte) 0xff});
    }
}
