package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.Cli;
import io.i2kit.testing.InlineManifest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures that `up` reports before it starts anything, and that leave nothing running. */
class LocalFailuresIT {
    @TempDir
    Path dir;

    private Path app(String replicasAndMemory) throws Exception {
        return InlineManifest.app(dir.resolve("app"), """
                name: failing
                services:
                  web:
                    %s
                    containers:
                      web: {image: "oci:images/web:latest", ports: [80]}
                """.formatted(replicasAndMemory));
    }

    @Test
    void qemuMissingSaysHowToInstallIt() throws Exception {
        Cli.Run up = Cli.run(dir.resolve("home"), Map.of("PATH", "/nonexistent"), "up", "-f", app("replicas: 1").toString());
        assertThat(up.status()).isEqualTo(1);
        assertThat(up.err()).contains("qemu-system-x86_64 was not found on the PATH", "apt-get install qemu-system-x86")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("home/apps")).doesNotExist();
    }

    @Test
    void moreReplicasThanMemoryIsRefused() throws Exception {
        Cli.Run up = Cli.run(dir.resolve("home"), "up", "-f", app("replicas: 100\n    resources: {memory: 64G}").toString());
        assertThat(up.status()).isEqualTo(1);
        assertThat(up.err()).contains("needs 6553600 MiB for its VMs", "lower replicas or resources.memory");
        assertThat(dir.resolve("home/apps")).doesNotExist();
    }
}
