package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Health;

import java.util.Optional;

/**
 * Turns a run of probe verdicts into health transitions with the manifest's thresholds. A starting
 * backend becomes healthy after healthy-threshold passes; its failures count only after the grace
 * period, so a slow boot is "starting", not "unhealthy". Not thread-safe: one probe task owns it.
 */
final class HealthTracker {
    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private Boolean healthy;
    private int passes;
    private int failures;

    HealthTracker(Health health) {
        this.healthyThreshold = Math.max(1, health.healthyThreshold());
        this.unhealthyThreshold = Math.max(1, health.unhealthyThreshold());
    }

    /** Whether the backend is healthy now (false while it starts or after it failed). */
    boolean healthy() {
        return Boolean.TRUE.equals(healthy);
    }

    /** The new health when this verdict changes it. */
    Optional<Boolean> record(boolean passed, boolean inGrace) {
        if (passed) {
            failures = 0;
            passes++;
            if (!Boolean.TRUE.equals(healthy) && passes >= healthyThreshold) {
                healthy = true;
                return Optional.of(true);
            }
        } else {
            passes = 0;
            if (healthy == null && inGrace) {
                return Optional.empty();
            }
            failures++;
            if (!Boolean.FALSE.equals(healthy) && failures >= unhealthyThreshold) {
                healthy = false;
                return Optional.of(false);
            }
        }
        return Optional.empty();
    }
}
