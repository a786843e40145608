package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.event.Event;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.provider.Provider;
import io.i2kit.secret.LocalSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * down of an application that no longer runs: the state goes, the secrets stay, and the volumes
 * stay unless asked to delete the data.
 */
class DownKeepsDataTest {
    @TempDir
    Path dir;

    @Test
    void keepsSecretsAlwaysAndVolumesUnlessTheDataIsDeleted() throws Exception {
        I2kitHome home = new I2kitHome(dir.resolve("home"));
        LocalProvider provider = new LocalProvider(home);
        AppPaths paths = AppPaths.of(home, "app");
        LocalSecretStore store = new LocalSecretStore(paths.secrets());
        store.set("db-password", "x".getBytes(StandardCharsets.UTF_8));
        store.set("api-key", "y".getBytes(StandardCharsets.UTF_8));
        VolumeFiles.disks(paths, new DesiredState.ServiceState("db", "sha256:" + "a".repeat(64), Path.of("/k"),
                Path.of("/i"), "console=ttyS0", 1, 128, 1, false, List.of(), Optional.empty(), List.of(), "{}",
                List.of(new DesiredState.VolumeState("data", 1L << 20))), 0, n -> { });
        Files.writeString(paths.state(), "{}");

        List<String> notes = new ArrayList<>();
        provider.down(new Provider.DownRequest("app", false), e -> notes.add(((Event.Note) e).text()));
        assertThat(notes).contains("kept 2 secrets in " + paths.secrets() + " (i2kit secret rm removes one)");
        assertThat(notes).anyMatch(n -> n.startsWith("kept volume db/r0/data (1 MiB"));
        assertThat(paths.state()).doesNotExist();
        assertThat(paths.volume("db", 0, "data")).exists();

        notes.clear();
        provider.down(new Provider.DownRequest("app", false, true), e -> notes.add(((Event.Note) e).text()));
        assertThat(notes).anyMatch(n -> n.startsWith("deleted volume db/r0/data (1 MiB"));
        assertThat(paths.volumes()).doesNotExist();
        assertThat(store.list()).hasSize(2);
    }
}
