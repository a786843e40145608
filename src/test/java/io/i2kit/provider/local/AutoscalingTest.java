package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor scales an autoscaled service on its stand-in VMs' CPU time, which the test sets,
 * one reconcile pass every 2 s of a clock the test moves (window 10 s, cool-downs 30 s out, 60 s
 * in: {@link SupervisorHarness#SCALING}).
 */
class AutoscalingTest {
    private static final DesiredState.ScalingState ONE_TO_THREE_AT_50 = new DesiredState.ScalingState(1, 3,
            Optional.of(50), Optional.empty());

    @TempDir
    Path dir;

    @Test
    void scalesOutUnderLoadWithinItsCoolDownAndBackInAfterwards() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.autoscaled('1', ONE_TO_THREE_AT_50));
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy");
            assertThat(scaling(h).decision()).isEqualTo("not measured yet");

            passes(h, 5, 0.9, "web-g1-r0");
            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0");
            passes(h, 1, 0.9, "web-g1-r0");
            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1");
            assertThat(h.log()).contains("[web] scaling out from 1 VM to 2 VMs: average CPU 90% of 1 VM over the last 10 s,"
                    + " target 50%");
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy", "web-g1-r1 healthy");
            Status.Scaling scaled = scaling(h);
            assertThat(List.of(scaled.desired(), scaled.current())).containsExactly(2, 2);
            assertThat(scaled.decision()).isEqualTo("scaled from 1 to 2");

            // Both busy: 4 wanted (ceil(2 × 90 / 50)), at most 3, not before the scale-out cool-down ends.
            passes(h, 6, 0.9, "web-g1-r0", "web-g1-r1");
            assertThat(h.log()).anyMatch(l -> l.startsWith("[web] would scale out to 3 VMs (average CPU 90% of 2 VMs over the"
                    + " last 10 s, target 50%), held by the scale-out cool-down until "));
            passes(h, 8, 0.9, "web-g1-r0", "web-g1-r1");
            assertThat(h.hypervisor.events()).as("within 30 s of the scale-out").hasSize(2);
            assertThat(h.log().stream().filter(l -> l.startsWith("[web] would scale out"))).as("said once").hasSize(1);
            passes(h, 2, 0.9, "web-g1-r0", "web-g1-r1");
            assertThat(h.hypervisor.events()).containsExactly("start web-g1-r0", "start web-g1-r1", "start web-g1-r2");

            // The load ends: in to 1 (min), once 60 s have passed since the last scaling.
            passes(h, 28, 0.02, "web-g1-r0", "web-g1-r1", "web-g1-r2");
            assertThat(h.replicas()).as("58 s after the last scale-out").hasSize(3);
            assertThat(h.log()).anyMatch(l -> l.startsWith("[web] would scale in to 1 VM (average CPU 2% of 3 VMs"));
            passes(h, 1, 0.02, "web-g1-r0", "web-g1-r1", "web-g1-r2");
            assertThat(h.log()).contains("[web] scaling in from 3 VMs to 1 VM: average CPU 2% of 3 VMs over the last 10 s,"
                    + " target 50%");
            assertThat(h.hypervisor.events()).endsWith("stop web-g1-r2", "stop web-g1-r1");
            assertThat(h.replicas()).containsExactly("web-g1-r0 healthy");
            assertThat(List.of(scaling(h).desired(), scaling(h).current())).containsExactly(1, 1);
        }
    }

    /** An up of the same manifest, or of a new image, keeps the count the autoscaler chose; a new range clamps it. */
    @Test
    void anUpdateKeepsTheScaledCountWithinTheNewRange() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.autoscaled('1', ONE_TO_THREE_AT_50));
            passes(h, 6, 1.0, "web-g1-r0");
            assertThat(h.replicas()).hasSize(2);

            DesiredState same = h.autoscaled('1', ONE_TO_THREE_AT_50);
            assertThat(LocalPlan.of(same, Optional.of(running(h))).changes())
                    .containsExactly(new LocalPlan.Change("web", LocalPlan.Action.UNCHANGED, "111111111111"));
            h.apply(same);
            assertThat(h.log()).contains("[web] unchanged");
            assertThat(h.replicas()).hasSize(2);

            h.apply(h.autoscaled('2', ONE_TO_THREE_AT_50));
            assertThat(h.replicas()).as("a rolling update of both").containsExactly("web-g2-r2 healthy", "web-g2-r3 healthy");

            DesiredState.ScalingState oneOnly = new DesiredState.ScalingState(1, 1, Optional.of(50), Optional.empty());
            assertThat(LocalPlan.of(h.autoscaled('2', oneOnly), Optional.of(running(h))).changes()).containsExactly(
                    new LocalPlan.Change("web", LocalPlan.Action.SCALE, "2 -> 1 replicas"));
            h.apply(h.autoscaled('2', oneOnly));
            assertThat(h.replicas()).containsExactly("web-g2-r2 healthy");
            assertThat(scaling(h).max()).isEqualTo(1);
        }
    }

    @Test
    void requestsPerTargetIsKeptAtItsMinLocallyAndSaysSo() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(h.autoscaled('1', new DesiredState.ScalingState(2, 4, Optional.empty(), Optional.of(500))));
            assertThat(h.log()).contains("i2kit: web: requests_per_target scales on AWS only; locally it stays at its min"
                    + " of 2 (the local load balancer relays connections and counts no requests)");
            passes(h, 10, 1.0, "web-g1-r0", "web-g1-r1");
            assertThat(h.replicas()).hasSize(2);
            assertThat(scaling(h)).isEqualTo(new Status.Scaling(2, 4, "requests_per_target", 500, 2, 2, Optional.empty(),
                    "not scaled locally (AWS only): kept at min"));
        }
    }

    /** {@code count} reconcile passes 2 s apart, each of {@code vms} busy on {@code busy} of its vCPU meanwhile. */
    private static void passes(SupervisorHarness h, int count, double busy, String... vms) {
        for (int i = 0; i < count; i++) {
            h.clock.advance(Duration.ofSeconds(2));
            for (String vm : vms) {
                h.hypervisor.vm(vm).burn(Duration.ofMillis(Math.round(2000 * busy)));
            }
            h.supervisor.reconcile();
        }
    }

    private static Status.Scaling scaling(SupervisorHarness h) {
        return h.supervisor.status().services().get(0).scaling().orElseThrow();
    }

    private static DesiredState running(SupervisorHarness h) throws RuntimeException {
        try {
            return DesiredState.fromJson(java.nio.file.Files.readString(h.paths.running()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
