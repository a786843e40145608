package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A supervisor killed outright leaves its VMs; the next down (or up) finds and stops them. */
class SupervisorCrashIT {
    @TempDir
    Path dir;

    @Test
    void downStopsTheVmsOfASupervisorThatDied() throws Exception {
        Path home = BootstrappedHome.get().root();
        Path app = Files.createDirectories(dir.resolve("crash"));
        Files.writeString(app.resolve("i2kit.yml"), """
                name: crash
                services:
                  web:
                    resources: {memory: 160M}
                    health: {path: /, interval: 1s, timeout: 900ms, healthy_threshold: 1}
                    containers:
                      web: {image: "oci:%s:latest", ports: [80]}
                """.formatted(BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci")));
        Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        JsonNode status = new ObjectMapper().readTree(Cli.run(home, "status", "-f", app.toString(), "--output", "json")
                .assertSuccess().out());
        ProcessHandle supervisor = ProcessHandle.of(status.path("supervisorPid").asLong()).orElseThrow();
        ProcessHandle vm = ProcessHandle.of(status.path("services").get(0).path("running").get(0).path("pid").asLong())
                .orElseThrow();
        supervisor.destroyForcibly();
        supervisor.onExit().get(20, TimeUnit.SECONDS);
        assertThat(vm.isAlive()).as("the VM outlives its supervisor").isTrue();

        Cli.Run down = Cli.run(home, "down", "-f", app.toString()).assertSuccess();
        assertThat(down.err()).contains("left running by a supervisor that ended");
        vm.onExit().get(30, TimeUnit.SECONDS);
        assertThat(home.resolve("apps/crash")).doesNotExist();
    }
}
