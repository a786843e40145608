package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts on stand-in VMs: a first one starts every replica, an update replaces one VM at a time
 * without losing capacity, and a new version that never serves is rolled back while the old one
 * keeps serving (several services at once: {@link RolloutTest}). A replica is only reported healthy once its balancer has taken it in.
 */
class SupervisorTest {
    @TempDir
    Path dir;

    @Test
    void aHostnameChangeThatRestartsNoVmSaysTheBalancerKeepsItsCertificate() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            DesiredState first = h.web('1', 1, SupervisorHarness.patient());
            h.apply(first);
            DesiredState.ServiceState s = first.services().get(0);
            DesiredState.ServiceState named = new DesiredState.ServiceState(s.name(), s.image(), s.kernel(), s.initrd(),
                    s.cmdline(), s.replicas(), s.memoryMiB(), s.cpus(), s.isPublic(), s.ports(), s.health(), s.forwards(),
                    s.metadata(), s.volumes(), Optional.empty(), Optional.of("web.example.test"));
            h.apply(SupervisorHarness.app(named));
            assertThat(h.log()).contains("[web] unchanged").anySatisfy(line -> assertThat(line)
                    .startsWith("[web] hostname or redirect_http changed: its load balancer keeps the certificate"));
            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0");
        }
    }

    @Test
    void aFirstRolloutStartsEveryReplicaAndPutsThemInService() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1");
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy", "web-g1-r1 healthy");
            assertThat(Set.of(h.get("/"), h.get("/"))).as("two requests through the balancer, round-robin")
                    .containsExactlyInAnyOrder("web-g1-r0", "web-g1-r1");
            assertThat(h.log()).contains("[web] web-g1-r1 is healthy and in the load balancer");
            assertThat(DesiredState.fromJson(Files.readString(h.paths.running())).services().get(0).image())
                    .as("what running.json says runs").isEqualTo("sha256:" + "1".repeat(64));
        }
    }

    @Test
    void moreReplicasOfTheSameVersionAreAddedWithoutTouchingTheRunningOnes() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 1, SupervisorHarness.patient()));
            h.apply(h.web('1', 3, SupervisorHarness.patient()));

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1", "start web-g1-r2");
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy", "web-g1-r1 healthy", "web-g1-r2 healthy");
        }
    }

    @Test
    void anUpdateReplacesOneVmAtATimeKeepingEveryReplicaInService() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));
            List<Long> healthyAtEachStop = new ArrayList<>();
            h.hypervisor.beforeStop(vm -> healthyAtEachStop.add(h.replicas().stream().filter(r -> r.endsWith(" healthy")).count()));

            h.apply(h.web('2', 2, SupervisorHarness.patient()));

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1",
                    "start web-g2-r2", "stop web-g1-r0", "start web-g2-r3", "stop web-g1-r1");
            assertThat(healthyAtEachStop).as("replicas in service as each old VM stops, itself drained already")
                    .containsExactly(2L, 2L);
            assertThat(h.log()).containsSubsequence("[web] web-g2-r2 is healthy and in the load balancer",
                    "[web] stopped web-g1-r0", "[web] web-g2-r3 is healthy and in the load balancer", "[web] stopped web-g1-r1");
            assertThat(h.replicas()).containsExactly("web-g2-r2 healthy", "web-g2-r3 healthy");
            assertThat(Set.of(h.get("/"), h.get("/"))).containsExactlyInAnyOrder("web-g2-r2", "web-g2-r3");
        }
    }

    @Test
    void anUpdateToMoreReplicasStartsTheExtraOnesOnceTheOldAreReplaced() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 1, SupervisorHarness.patient()));
            h.apply(h.web('2', 3, SupervisorHarness.patient()));

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0",
                    "start web-g2-r1", "stop web-g1-r0", "start web-g2-r2", "start web-g2-r3");
            assertThat(h.replicas()).containsExactly("web-g2-r1 healthy", "web-g2-r2 healthy", "web-g2-r3 healthy");
        }
    }

    @Test
    void anUpdateToFewerReplicasStopsTheOldOnesLeftOver() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 3, SupervisorHarness.patient()));
            h.apply(h.web('2', 1, SupervisorHarness.patient()));

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1", "start web-g1-r2",
                    "start web-g2-r3", "stop web-g1-r0", "stop web-g1-r1", "stop web-g1-r2");
            assertThat(h.replicas()).containsExactly("web-g2-r3 healthy");
        }
    }

    @Test
    void aNewVersionThatNeverBecomesHealthyIsRolledBackWhileTheOldOneServes() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));
            h.hypervisor.health(503);

            assertThatThrownBy(() -> h.apply(h.web('2', 2, SupervisorHarness.impatient())))
                    .isInstanceOf(I2kitException.class)
                    .hasMessageStartingWith("the update failed and every service it changed was rolled back:\n"
                            + "  web: failed, still on g1 (111111111111, 2 VMs): web-g2-r2 did not become healthy within 80 ms "
                            + "(GET /health: HTTP 503)");

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1",
                    "start web-g2-r2", "stop web-g2-r2");
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy", "web-g1-r1 healthy");
            assertThat(IntStream.range(0, 4).mapToObj(i -> h.get("/")).toList()).as("answers through the balancer")
                    .containsOnly("web-g1-r0", "web-g1-r1");
            assertThat(DesiredState.fromJson(Files.readString(h.paths.running())).services().get(0).image())
                    .as("what running.json says runs").isEqualTo("sha256:" + "1".repeat(64));
        }
    }

    /**
     * An update that fails after it replaced an old VM goes back as it went forward: a VM of the
     * old version in service, then one of the new out, so the service never runs short.
     */
    @Test
    void anUpdateThatFailsMidwayIsRolledBackWithoutLosingCapacity() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));
            h.hypervisor.afterStart(vm -> {
                if (vm.name().equals("web-g2-r3")) {
                    vm.kill();
                }
            });
            List<Long> healthyAtEachStop = new ArrayList<>();
            h.hypervisor.beforeStop(vm -> healthyAtEachStop.add(h.replicas().stream().filter(r -> r.endsWith(" healthy")).count()));

            assertThatThrownBy(() -> h.apply(h.web('2', 2, SupervisorHarness.patient())))
                    .hasMessageStartingWith("the update failed and every service it changed was rolled back:\n"
                            + "  web: failed, back on g1 (111111111111, 2 VMs): web-g2-r3 exited before it became healthy");

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1",
                    "start web-g2-r2", "stop web-g1-r0", "start web-g2-r3", "start web-g1-r4", "stop web-g2-r2");
            assertThat(healthyAtEachStop).containsExactly(2L, 2L);
            assertThat(h.replicas()).containsExactly("web-g1-r1 healthy", "web-g1-r4 healthy");
            assertThat(DesiredState.fromJson(Files.readString(h.paths.running())).services().get(0).image())
                    .isEqualTo("sha256:" + "1".repeat(64));
        }
    }

    /** A rollback that fails too is reported with what runs: which VMs, of which version. */
    @Test
    void aRollbackThatFailsSaysWhatRunsNow() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.web('1', 2, SupervisorHarness.patient()));
            h.hypervisor.beforeStop(vm -> h.hypervisor.afterStart(FakeVm::kill));

            assertThatThrownBy(() -> h.apply(h.web('2', 2, SupervisorHarness.patient())))
                    .hasMessageStartingWith("the update failed and 1 service could not be rolled back (the others were):\n"
                            + "  web: failed, NOT back on g1 (111111111111, 2 VMs), running web-g1-r1, web-g2-r2 (g1 runs the "
                            + "previous version, any other 222222222222 of this update): web-g2-r3 exited before it became "
                            + "healthy")
                    .hasMessageContaining("; then its rollback failed: web-g1-r4 exited before it became healthy");

            assertThat(h.replicas()).containsExactly("web-g1-r1 healthy", "web-g2-r2 healthy");
        }
    }

    /**
     * A replica that passes the supervisor's own probes but that the balancer's watch never takes in
     * (it checks once an hour here) does not serve: the rollout fails instead of reporting it
     * "healthy and in the load balancer", and the VM is stopped.
     */
    @Test
    void aReplicaTheBalancerNeverTakesInFailsTheRollout() {
        try (SupervisorHarness h = new SupervisorHarness(dir, Duration.ofMillis(100))) {
            assertThatThrownBy(() -> h.apply(h.web('1', 1, SupervisorHarness.hourly())))
                    .isInstanceOf(I2kitException.class)
                    .hasMessageContaining("web-g1-r0 passed its checks but the load balancer did not take it in within 100 ms");

            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "stop web-g1-r0");
            assertThat(h.replicas()).isEmpty();
            assertThat(h.log()).noneMatch(line -> line.contains("is healthy and in the load balancer"));
        }
    }
}
