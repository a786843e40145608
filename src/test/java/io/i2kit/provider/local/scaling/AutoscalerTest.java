package io.i2kit.provider.local.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler on stand-in replicas whose CPU time the test sets, sampled every 2 s as the
 * reconciler does, on a clock the test moves: a window of 10 s, cool-downs of 30 s out and 60 s in.
 */
class AutoscalerTest {
    private static final ScalingTimings TIMINGS = new ScalingTimings(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    private final Autoscaler autoscaler = new Autoscaler(new TargetTracking(1, 4, 50), TIMINGS);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    /** Each replica's CPU time so far. */
    private final Map<String, Duration> cpu = new LinkedHashMap<>();

    @Test
    void targetTrackingRoundsUpAndStaysInItsRange() {
        TargetTracking policy = new TargetTracking(2, 5, 60);
        assertThat(policy.desired(2, 60)).as("on target").isEqualTo(2);
        assertThat(policy.desired(2, 61)).isEqualTo(3);
        assertThat(policy.desired(3, 90)).isEqualTo(5);
        assertThat(policy.desired(4, 100)).as("at most max").isEqualTo(5);
        assertThat(policy.desired(3, 10)).as("at least min").isEqualTo(2);
        assertThat(new TargetTracking(1, 10, 50).desired(2, 50)).as("no rounding up of an exact product").isEqualTo(2);
        assertThatThrownBy(() -> new TargetTracking(3, 2, 50)).hasMessageContaining("1 <= min <= max");
        assertThatThrownBy(() -> new TargetTracking(1, 2, 0)).hasMessageContaining("1 to 100 percent");
    }

    @Test
    void nothingIsDecidedBeforeAReplicaServedAWholeWindow() {
        cpu.put("web-r0", Duration.ZERO);
        run(Duration.ofSeconds(8), Map.of("web-r0", 1.0));
        assertThat(decide().kind()).isEqualTo(Autoscaler.Decision.Kind.NO_DATA);
        run(Duration.ofSeconds(2), Map.of("web-r0", 1.0));
        Autoscaler.Decision d = decide();
        assertThat(d.kind()).isEqualTo(Autoscaler.Decision.Kind.SCALE);
        assertThat(d.averagePercent().getAsDouble()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(d.desired()).isEqualTo(2);
    }

    @Test
    void measuresTheShareOfEveryVcpuOverTheLastWindowOnly() {
        cpu.put("web-r0", Duration.ZERO);
        run(Duration.ofSeconds(20), Map.of("web-r0", 2.0)); // both of 2 vCPUs busy for 20 s
        run(Duration.ofSeconds(10), Map.of("web-r0", 0.5)); // then a quarter of them for the last 10 s
        Autoscaler.Decision d = autoscaler.decide(now, List.of("web-r0"), 2);
        assertThat(d.averagePercent().getAsDouble()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(d.kind()).isEqualTo(Autoscaler.Decision.Kind.HOLD);
    }

    @Test
    void scalesOutOnLoadThenWaitsForTheScaleOutCoolDown() {
        cpu.put("web-r0", Duration.ZERO);
        run(Duration.ofSeconds(10), Map.of("web-r0", 0.9));
        Autoscaler.Decision out = decide();
        assertThat(out.kind()).isEqualTo(Autoscaler.Decision.Kind.SCALE);
        assertThat(out.desired()).isEqualTo(2);
        autoscaler.scaled(out, now);

        // the new replica serves, and both are busy: one more is wanted, but not before 30 s
        cpu.put("web-r1", Duration.ZERO);
        run(Duration.ofSeconds(10), Map.of("web-r0", 0.9, "web-r1", 0.9));
        Autoscaler.Decision held = decide();
        assertThat(held.kind()).isEqualTo(Autoscaler.Decision.Kind.COOLING_DOWN);
        assertThat(held.desired()).isEqualTo(4); // ceil(2 × 90 / 50)
        assertThat(held.at()).isEqualTo(now.plusSeconds(20));

        run(Duration.ofSeconds(20), Map.of("web-r0", 0.9, "web-r1", 0.9));
        assertThat(decide().kind()).isEqualTo(Autoscaler.Decision.Kind.SCALE);
    }

    /** A replica that boots takes load soon: the load of those measured decides a scale-out, never a scale-in. */
    @Test
    void aReplicaNotYetMeasuredAddsNoLoadAndBlocksAScaleIn() {
        cpu.put("web-r0", Duration.ZERO);
        cpu.put("web-r1", Duration.ZERO);
        run(Duration.ofSeconds(10), Map.of("web-r0", 0.05));
        cpu.put("web-r2", Duration.ZERO); // joined just now
        run(Duration.ofSeconds(100), Map.of("web-r0", 0.05, "web-r1", 0.05));
        Autoscaler.Decision d = autoscaler.decide(now, List.of("web-r0", "web-r1", "web-r2"), 1);
        assertThat(d.measured()).isEqualTo(2);
        assertThat(d.kind()).as("r2 is not in service yet (not observed)").isEqualTo(Autoscaler.Decision.Kind.HOLD);

        run(Duration.ofSeconds(10), Map.of("web-r0", 0.05, "web-r1", 0.05, "web-r2", 0.05));
        Autoscaler.Decision in = autoscaler.decide(now, List.of("web-r0", "web-r1", "web-r2"), 1);
        assertThat(in.kind()).isEqualTo(Autoscaler.Decision.Kind.SCALE);
        assertThat(in.desired()).as("at least min").isEqualTo(1);
    }

    @Test
    void scalesInOnlyOnceTheScaleInCoolDownAfterAnyScalingHasPassed() {
        cpu.put("web-r0", Duration.ZERO);
        run(Duration.ofSeconds(10), Map.of("web-r0", 1.0));
        Autoscaler.Decision out = decide();
        autoscaler.scaled(out, now);
        Instant scaledOut = now;

        cpu.put("web-r1", Duration.ZERO);
        run(Duration.ofSeconds(20), Map.of("web-r0", 0.1, "web-r1", 0.1));
        Autoscaler.Decision held = decide();
        assertThat(held.kind()).isEqualTo(Autoscaler.Decision.Kind.COOLING_DOWN);
        assertThat(held.desired()).isEqualTo(1);
        assertThat(held.at()).isEqualTo(scaledOut.plusSeconds(60));

        run(Duration.ofSeconds(38), Map.of("web-r0", 0.1, "web-r1", 0.1));
        assertThat(decide().kind()).as("2 s before the end of the cool-down").isEqualTo(Autoscaler.Decision.Kind.COOLING_DOWN);
        run(Duration.ofSeconds(2), Map.of("web-r0", 0.1, "web-r1", 0.1));
        Autoscaler.Decision in = decide();
        assertThat(in.kind()).isEqualTo(Autoscaler.Decision.Kind.SCALE);
        assertThat(in.desired()).isEqualTo(1);
    }

    @Test
    void aRestartedProcessUnderTheSameIdIsMeasuredAfresh() {
        cpu.put("web-r0", Duration.ofSeconds(500));
        run(Duration.ofSeconds(10), Map.of("web-r0", 1.0));
        cpu.put("web-r0", Duration.ZERO); // a new process: its time starts again
        run(Duration.ofSeconds(2), Map.of("web-r0", 0.1));
        assertThat(decide().kind()).isEqualTo(Autoscaler.Decision.Kind.NO_DATA);
    }

    @Test
    void timingsComeFromTheEnvironmentOrTheDefaults() {
        assertThat(ScalingTimings.from(Map.of())).isEqualTo(ScalingTimings.STANDARD);
        assertThat(ScalingTimings.STANDARD.scaleOutCooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ScalingTimings.STANDARD.scaleInCooldown()).isEqualTo(Duration.ofSeconds(300));
        Map<String, String> env = new HashMap<>();
        env.put(ScalingTimings.WINDOW, "10");
        env.put(ScalingTimings.OUT, "5");
        env.put(ScalingTimings.IN, " 30 ");
        assertThat(ScalingTimings.from(env)).isEqualTo(new ScalingTimings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30)));
        assertThatThrownBy(() -> ScalingTimings.from(Map.of(ScalingTimings.WINDOW, "0")))
                .hasMessage("I2KIT_SCALE_WINDOW=0 is not a number of seconds from 1 to 86400 (the default is 60)");
        assertThatThrownBy(() -> ScalingTimings.from(Map.of(ScalingTimings.IN, "5m")))
                .hasMessage("I2KIT_SCALE_IN_COOLDOWN=5m is not a number of seconds from 0 to 86400 (the default is 300)");
    }

    /** Samples now, then moves the clock by {@code by} in 2 s steps, each replica busy on {@code busy} vCPUs, sampling as the reconciler does. */
    private void run(Duration by, Map<String, Double> busy) {
        Map<String, Duration> start = new LinkedHashMap<>();
        busy.keySet().forEach(id -> start.put(id, cpu.get(id)));
        autoscaler.observe(now, start); // a replica that joins is first sampled now (a repeated sample adds nothing)
        for (long s = 0; s < by.toSeconds(); s += 2) {
            now = now.plusSeconds(2);
            Map<String, Duration> sample = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : busy.entrySet()) {
                Duration used = cpu.get(e.getKey()).plusMillis(Math.round(2000 * e.getValue()));
                cpu.put(e.getKey(), used);
                sample.put(e.getKey(), used);
            }
            autoscaler.observe(now, sample);
        }
    }

    private Autoscaler.Decision decide() {
        return autoscaler.decide(now, List.copyOf(cpu.keySet()), 1);
    }
}
