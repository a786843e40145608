package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.i2kit.I2kitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An apply that changes several services is one change: when one service's rollout fails, every
 * service it changed goes back to its previous generation, whether it had moved already or was
 * still moving, and the error says what became of each.
 */
class RolloutTest {
    private static final String ONE = "1".repeat(64);

    @TempDir
    Path dir;

    @Test
    void servicesThatMovedAreRolledBackWhenAThirdNeverServes() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(SupervisorHarness.app(h.service("a", '1', 1, SupervisorHarness.patient()),
                    h.service("b", '1', 2, SupervisorHarness.patient()), h.service("c", '1', 1, SupervisorHarness.patient())));
            // c's new VM answers 503, but only once a and b have fully moved to their new version.
            h.hypervisor.afterStart(vm -> {
                if (vm.name().startsWith("c-g2")) {
                    h.await("a and b on their new version", () -> h.hypervisor.events()
                            .containsAll(java.util.List.of("stop a-g1-r0", "stop b-g1-r0", "stop b-g1-r1")));
                    vm.health(503);
                }
            });

            assertThatThrownBy(() -> h.apply(SupervisorHarness.app(h.service("a", '2', 1, SupervisorHarness.patient()),
                    h.service("b", '2', 2, SupervisorHarness.patient()), h.service("c", '2', 1, SupervisorHarness.impatient()))))
                    .isInstanceOf(I2kitException.class)
                    .hasMessageStartingWith("""
                            the update failed and every service it changed was rolled back:
                              a: rolled back, back on g1 (111111111111, 1 VM): it had moved, but the rollout of c failed
                              b: rolled back, back on g1 (111111111111, 2 VMs): it had moved, but the rollout of c failed
                              c: failed, still on g1 (111111111111, 1 VM): c-g2-r1 did not become healthy within 80 ms (GET /health: HTTP 503)""");

            assertThat(h.replicas("a")).containsExactly("a-g1-r2 healthy");
            assertThat(h.replicas("b")).containsExactly("b-g1-r4 healthy", "b-g1-r5 healthy");
            assertThat(h.replicas("c")).containsExactly("c-g1-r0 healthy");
            assertThat(Set.of("a-g2-r1", "b-g2-r2", "b-g2-r3", "c-g2-r1")).as("the new version's VMs")
                    .allSatisfy(id -> assertThat(h.hypervisor.vm(id).alive()).as(id).isFalse());
            assertThat(h.hypervisor.events()).as("b went back as it went forward: one VM in service before one out")
                    .containsSubsequence("start b-g1-r4", "stop b-g2-r2", "start b-g1-r5", "stop b-g2-r3");
            assertThat(h.get("a", "/")).isEqualTo("a-g1-r2");
            assertThat(IntStream.range(0, 4).mapToObj(i -> h.get("b", "/")).toList()).containsOnly("b-g1-r4", "b-g1-r5");
            assertThat(DesiredState.fromJson(Files.readString(h.paths.running())).services())
                    .as("what running.json says runs").allSatisfy(s -> assertThat(s.image()).isEqualTo("sha256:" + ONE));
            assertThat(h.log()).contains("[a] rolled back, back on g1 (111111111111, 1 VM): it had moved, but the rollout of c failed");

            h.hypervisor.afterStart(vm -> { });
            h.apply(SupervisorHarness.app(h.service("a", '2', 1, SupervisorHarness.patient()),
                    h.service("b", '1', 2, SupervisorHarness.patient()), h.service("c", '1', 1, SupervisorHarness.patient())));
            assertThat(h.replicas("a")).as("the next update numbers its generation after the one rolled back to")
                    .containsExactly("a-g2-r3 healthy");
        }
    }

    /** A service still waiting for its new VMs gives up as soon as another fails, not when its own wait runs out. */
    @Test
    void aServiceStillMovingStopsAtOnceWhenAnotherFails() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(SupervisorHarness.app(h.service("a", '1', 2, SupervisorHarness.patient()),
                    h.service("c", '1', 1, SupervisorHarness.patient())));
            // a's new VMs would get a minute to pass their checks; c's fail in 80 ms.
            h.hypervisor.afterStart(vm -> vm.health(vm.name().startsWith("a-g2") || vm.name().startsWith("c-g2") ? 503 : 200));

            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> h.apply(SupervisorHarness.app(
                    h.service("a", '2', 2, SupervisorHarness.patient()), h.service("c", '2', 1, SupervisorHarness.impatient()))))
                    .hasMessageContaining("\n  a: rolled back, still on g1 (111111111111, 2 VMs): its rollout was stopped "
                            + "because the rollout of c failed\n"));

            assertThat(h.hypervisor.events()).containsSubsequence("start a-g2-r2", "stop a-g2-r2")
                    .doesNotContain("stop a-g1-r0", "stop a-g1-r1", "start a-g2-r3");
            assertThat(h.replicas("a")).containsExactly("a-g1-r0 healthy", "a-g1-r1 healthy");
            assertThat(h.replicas("c")).containsExactly("c-g1-r0 healthy");
        }
    }

    /** A service the failed apply added is stopped and forgotten; one it removed from the manifest keeps running. */
    @Test
    void aFailedApplyRemovesTheServiceItAddedAndKeepsTheOneItDropped() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(SupervisorHarness.app(h.service("a", '1', 1, SupervisorHarness.patient()),
                    h.service("old", '1', 1, SupervisorHarness.patient())));
            h.hypervisor.afterStart(vm -> vm.health(vm.name().startsWith("a-g2") ? 503 : 200));

            assertThatThrownBy(() -> h.apply(SupervisorHarness.app(h.service("a", '2', 1, SupervisorHarness.impatient()),
                    h.service("added", '1', 1, SupervisorHarness.patient()))))
                    .hasMessageContaining("\n  added: rolled back, new in this update: stopped and removed: ")
                    .hasMessageEndingWith("\n  old: kept running: removed from the manifest, but the update failed");

            assertThat(h.supervisor.status().services()).extracting(Status.ServiceStatus::name).containsExactly("a", "old");
            assertThat(h.hypervisor.vm("added-g1-r0").alive()).isFalse();
            assertThat(h.paths.sockets().resolve("added-80.sock")).as("its balancer's socket").doesNotExist();
            assertThat(h.get("old", "/")).isEqualTo("old-g1-r0");
        }
    }
}
