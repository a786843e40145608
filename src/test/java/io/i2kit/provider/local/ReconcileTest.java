package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler on stand-in VMs: a replica that died or turned unhealthy is replaced, a
 * replacement that cannot start is retried with a doubling back-off, and a new supervisor takes
 * over the VMs its predecessor left and starts only what is missing. Each pass is run by the test.
 */
class ReconcileTest {
    @TempDir
    Path dir;

    @Test
    void aReplicaThatDiedIsReplaced() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));

            h.hypervisor.vm("web-g1-r0").kill();
            h.supervisor.reconcile();

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1", "start web-g1-r2");
            assertThat(h.log()).contains("[web] web-g1-r0 exited; replacing it");
            assertThat(h.replicas()).containsExactly("web-g1-r1 healthy", "web-g1-r2 healthy");
        }
    }

    @Test
    void aReplicaThatTurnedUnhealthyIsReplaced() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));

            h.hypervisor.vm("web-g1-r0").health(500);
            h.await("web-g1-r0 unhealthy in its balancer", () -> h.replicas().contains("web-g1-r0 unhealthy"));
            h.supervisor.reconcile();

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1",
                    "stop web-g1-r0", "start web-g1-r2");
            assertThat(h.log()).contains("[web] web-g1-r0 failed its health checks; replacing it");
            assertThat(h.replicas()).containsExactly("web-g1-r1 healthy", "web-g1-r2 healthy");
        }
    }

    @Test
    void aReplacementThatCannotStartIsRetriedWithADoublingBackOff() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 1, SupervisorHarness.patient()));
            h.hypervisor.broken(true);

            h.hypervisor.vm("web-g1-r0").kill();
            h.supervisor.reconcile();
            assertThat(h.log()).anyMatch(line -> line.startsWith("[web] replacement VM failed (VM web-g1-r1: QEMU exited")
                    && line.endsWith("next try in 2 s"));
            h.supervisor.reconcile();
            h.clock.advance(Duration.ofMillis(1999));
            h.supervisor.reconcile();
            assertThat(attempts(h)).as("tries within the first back-off").isEqualTo(1);

            h.clock.advance(Duration.ofMillis(1));
            h.supervisor.reconcile();
            assertThat(attempts(h)).isEqualTo(2);
            assertThat(h.log().get(h.log().size() - 1)).endsWith("next try in 4 s");
            h.clock.advance(Duration.ofSeconds(3));
            h.supervisor.reconcile();
            assertThat(attempts(h)).as("tries within the second, doubled back-off").isEqualTo(2);

            h.hypervisor.broken(false);
            h.clock.advance(Duration.ofSeconds(1));
            h.supervisor.reconcile();
            assertThat(h.replicas()).containsExactly("web-g1-r3 healthy");

            h.hypervisor.vm("web-g1-r3").kill();
            h.supervisor.reconcile();
            assertThat(h.replicas()).as("after a success, the next replacement waits for nothing")
                    .containsExactly("web-g1-r4 healthy");
        }
    }

    private static long attempts(SupervisorHarness h) {
        return h.hypervisor.events().stream().filter(e -> e.startsWith("cannot start")).count();
    }

    /**
     * What a supervisor killed outright leaves: its state files and the VMs that still run (here two
     * of three). The next one adopts those without restarting them, and its reconciler starts the
     * third, numbered after the adopted ones.
     */
    @Test
    void aNewSupervisorAdoptsTheVmsLeftRunningAndStartsOnlyWhatIsMissing() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            DesiredState last = h.web('1', 3, SupervisorHarness.patient());
            List<Status.ReplicaStatus> replicas = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                VmSpec spec = new VmSpec("web-g1-r" + i, Path.of("/images/kernel"), Path.of("/images/initrd"),
                        "console=ttyS0", 128, 1, List.of(SupervisorHarness.INSTANCE_PORT), List.of(), Optional.of("{}"),
                        h.paths.vm("web", 1, i), Accelerator.TCG);
                if (i != 1) {
                    h.hypervisor.leftRunning(spec);
                }
                replicas.add(new Status.ReplicaStatus(spec.name(), 1000 + i, true, "healthy", spec.workDir().toString()));
            }
            Files.writeString(h.paths.running(), last.toJson());
            Files.writeString(h.paths.state(), LocalJson.write(new Status("app", 1,
                    List.of(new Status.ServiceStatus("web", last.services().get(0).image(), 3, false, Map.of(), replicas)))));

            h.supervisor.resume();
            h.await("the adopted VMs in service", () -> h.replicas().equals(List.of("web-g1-r0 healthy", "web-g1-r2 healthy")));
            assertThat(h.hypervisor.events()).as("VMs started by the new supervisor, so far").isEmpty();
            assertThat(h.log()).anyMatch(line -> line.startsWith("[web] adopted web-g1-r0 (pid "));

            h.supervisor.reconcile();
            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r3");
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy", "web-g1-r2 healthy", "web-g1-r3 healthy");

            h.apply(last);
            assertThat(h.log()).contains("[web] unchanged");
            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r3");
        }
    }
    /**
     * An adopted replica that never passes a check (it was still booting when its supervisor died,
     * and its pod is broken) goes from starting to unhealthy, never through healthy; it is replaced
     * all the same. A VM the last supervisor started but never recorded is stopped, not left unseen.
     */
    @Test
    void anAdoptedReplicaThatNeverTurnsHealthyIsReplacedAndAnUnrecordedVmIsStopped() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            DesiredState last = h.web('1', 1, SupervisorHarness.impatient());
            h.hypervisor.health(500);
            VmSpec broken = spec(h, 0);
            h.hypervisor.leftRunning(broken);
            h.hypervisor.leftRunning(spec(h, 1)); // started as the supervisor died, before it wrote its state
            h.hypervisor.health(200);
            Files.writeString(h.paths.running(), last.toJson());
            Files.writeString(h.paths.state(), LocalJson.write(new Status("app", 1, List.of(new Status.ServiceStatus("web",
                    last.services().get(0).image(), 1, false, Map.of(), List.of(new Status.ReplicaStatus(broken.name(), 1000,
                            true, "starting", broken.workDir().toString())))))));

            h.supervisor.resume();
            assertThat(h.hypervisor.events()).containsExactly("stop web-g1-r1");
            assertThat(h.log()).contains("i2kit: supervisor: stopping web-g1-r1, which the last supervisor started but never recorded");
            h.await("web-g1-r0 unhealthy in its balancer", () -> h.replicas().contains("web-g1-r0 unhealthy"));

            h.supervisor.reconcile();
            assertThat(h.hypervisor.events()).containsExactly("stop web-g1-r1", "stop web-g1-r0", "start web-g1-r1");
            assertThat(h.replicas()).containsExactly("web-g1-r1 healthy");
        }
    }

    private static VmSpec spec(SupervisorHarness h, int replica) {
        return new VmSpec("web-g1-r" + replica, Path.of("/images/kernel"), Path.of("/images/initrd"), "console=ttyS0", 128, 1,
                List.of(SupervisorHarness.INSTANCE_PORT), List.of(), Optional.of("{}"), h.paths.vm("web", 1, replica),
                Accelerator.TCG);
    }
}
