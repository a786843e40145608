package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Health;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTrackerTest {
    private static final Health HEALTH = new Health(Health.Kind.HTTP, 80, "/", Duration.ofSeconds(1),
            Duration.ofSeconds(1), 2, 3, Duration.ZERO);

    @Test
    void becomesHealthyAfterHealthyThresholdPasses() {
        HealthTracker tracker = new HealthTracker(HEALTH);
        assertThat(tracker.record(true, false)).isEmpty();
        assertThat(tracker.record(true, false)).contains(true);
        assertThat(tracker.record(true, false)).isEmpty();
    }

    @Test
    void becomesUnhealthyOnlyAfterConsecutiveFailures() {
        HealthTracker tracker = new HealthTracker(HEALTH);
        tracker.record(true, false);
        tracker.record(true, false);
        assertThat(tracker.record(false, false)).isEmpty();
        assertThat(tracker.record(false, false)).isEmpty();
        assertThat(tracker.record(true, false)).isEmpty();
        assertThat(tracker.record(false, false)).isEmpty();
        assertThat(tracker.record(false, false)).isEmpty();
        assertThat(tracker.record(false, false)).contains(false);
        assertThat(tracker.record(true, false)).isEmpty();
        assertThat(tracker.record(true, false)).contains(true);
    }

    @Test
    void failuresDuringTheGracePeriodKeepABackendStarting() {
        HealthTracker tracker = new HealthTracker(HEALTH);
        for (int i = 0; i < 10; i++) {
            assertThat(tracker.record(false, true)).isEmpty();
        }
        assertThat(tracker.record(false, false)).isEmpty();
        assertThat(tracker.record(false, false)).isEmpty();
        assertThat(tracker.record(false, false)).isEqualTo(Optional.of(false));
    }
}
