package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.testing.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor keeps a service at its count: a replica dies while no replacement can start (its
 * kernel is gone), the replacement fails and is retried with back-off, and once the kernel is back
 * the service is whole again, without any i2kit command.
 */
class ReconcileIT {
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    @Test
    void aFailedReplacementIsRetriedUntilTheServiceIsWhole() throws Exception {
        try (WebApp app = WebApp.write(dir, "heal", false)) {
            app.run("up").assertSuccess();
            healsWithoutAKernelForAWhile(app);
        }
    }

    private static void healsWithoutAKernelForAWhile(WebApp app) throws Exception {
        AppPaths paths = new AppPaths(app.state());
        Path kernel = DesiredState.fromJson(Files.readString(paths.running())).services().get(0).kernel();
        Path aside = kernel.resolveSibling("kernel.aside");
        long first = app.replicaPid();

        Files.move(kernel, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            ProcessHandle vm = ProcessHandle.of(first).orElseThrow();
            vm.destroyForcibly();
            vm.onExit().get(30, TimeUnit.SECONDS);
            await("a failed replacement and its back-off in the supervisor's log",
                    () -> Files.readString(paths.log()).contains("next try in"));
        } finally {
            Files.move(aside, kernel, StandardCopyOption.ATOMIC_MOVE);
        }
        await("one healthy replica again", () -> {
            JsonNode replicas = app.status().path("services").get(0).path("running");
            return replicas.size() == 1 && replicas.get(0).path("health").asText().equals("healthy");
        });
        assertThat(app.replicaPid()).as("a new VM").isNotEqualTo(first);
        assertThat(Files.readString(paths.log())).contains("web-g1-r0 exited; replacing it");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE.toMinutes() + " min for " + what);
            }
            Thread.sleep(500);
        }
    }
}
