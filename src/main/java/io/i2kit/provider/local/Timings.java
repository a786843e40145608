package io.i2kit.provider.local;

import io.i2kit.provider.local.scaling.ScalingTimings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * How long the supervisor gives each step of a rollout and of healing, and the clock its back-off
 * and silent-console verdicts read. {@link #STANDARD} in every supervisor; tests shorten them.
 *
 * @param stopGrace       how long a VM may take to quit before it is killed
 * @param drain           how long a replica's connections may take to end before they are cut
 * @param silentUnderKvm  a console still empty this long after the start means the kernel never ran
 * @param silentUnderTcg  the same without KVM, where a loaded host boots slowly
 * @param takenIn         how long the balancer may take to put a replica that passed its checks in service
 * @param probePause      the longest pause between two probes of a starting replica
 * @param backoffFirst    the wait after a first failed replacement, doubled after each further one
 * @param backoffMax      the longest wait between two replacements
 * @param reconcileEvery  how often the reconciler looks for dead, unhealthy and missing replicas,
 *                        and measures and scales autoscaled services
 * @param scaling         the autoscaler's window and cool-downs
 */
record Timings(Duration stopGrace, Duration drain, Duration silentUnderKvm, Duration silentUnderTcg,
               Duration takenIn, Duration probePause, Duration backoffFirst, Duration backoffMax,
               Duration reconcileEvery, Clock clock, ScalingTimings scaling) {
    /** A Linux kernel under KVM prints within a second or two; under TCG on a loaded 2-core host, within ~20 s. */
    static final Timings STANDARD = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMinutes(2), Duration.ofSeconds(2), Clock.systemUTC(), ScalingTimings.STANDARD);

    /** With the standard scaling timings. */
    Timings(Duration stopGrace, Duration drain, Duration silentUnderKvm, Duration silentUnderTcg, Duration takenIn,
            Duration probePause, Duration backoffFirst, Duration backoffMax, Duration reconcileEvery, Clock clock) {
        this(stopGrace, drain, silentUnderKvm, silentUnderTcg, takenIn, probePause, backoffFirst, backoffMax,
                reconcileEvery, clock, ScalingTimings.STANDARD);
    }

    /** {@link #STANDARD}, with the scaling timings the environment shortens ({@link ScalingTimings#from}). */
    static Timings standard(Map<String, String> environment) {
        return STANDARD.withScaling(ScalingTimings.from(environment));
    }

    Timings withScaling(ScalingTimings scaling) {
        return new Timings(stopGrace, drain, silentUnderKvm, silentUnderTcg, takenIn, probePause, backoffFirst,
                backoffMax, reconcileEvery, clock, scaling);
    }

    Timings {
        for (Duration d : new Duration[] {stopGrace, drain, silentUnderKvm, silentUnderTcg, takenIn, probePause,
                backoffFirst, backoffMax, reconcileEvery}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a supervisor's timings cannot be negative: " + d);
            }
        }
        if (reconcileEvery.isZero()) {
            throw new IllegalArgumentException("the reconciler needs an interval above zero");
        }
    }

    /** The wait after {@code failures} failed replacements in a row (at least one): doubling, capped. */
    Duration backoff(int failures) {
        Duration wait = backoffFirst;
        for (int i = 1; i < failures && wait.compareTo(backoffMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(backoffMax) > 0 ? backoffMax : wait;
    }
}
