package io.i2kit.provider.local.scaling;

import java.time.Duration;
import java.util.Map;

/**
 * How the local autoscaler measures and how often it may act.
 *
 * @param window          the CPU of a replica is its average over this long; a replica counts only
 *                        once it has been in service for a whole window (its boot is not load)
 * @param scaleOutCooldown after a scale-out, the next scale-out waits this long
 * @param scaleInCooldown  after any scaling, a scale-in waits this long: capacity is added fast and
 *                         removed slowly, as AWS's target tracking does
 */
public record ScalingTimings(Duration window, Duration scaleOutCooldown, Duration scaleInCooldown) {
    /** AWS's default cool-downs (60 s out, 300 s in) and a one-minute window, the period of AWS's metric. */
    public static final ScalingTimings STANDARD = new ScalingTimings(Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(300));

    /** Environment variables that shorten the timings (whole seconds), for tests and demonstrations. */
    public static final String WINDOW = "I2KIT_SCALE_WINDOW";
    public static final String OUT = "I2KIT_SCALE_OUT_COOLDOWN";
    public static final String IN = "I2KIT_SCALE_IN_COOLDOWN";

    public ScalingTimings {
        if (window.isNegative() || window.isZero() || scaleOutCooldown.isNegative() || scaleInCooldown.isNegative()) {
            throw new IllegalArgumentException("a scaling window must be above zero and cool-downs not negative: "
                    + window + ", " + scaleOutCooldown + ", " + scaleInCooldown);
        }
    }

    /**
     * {@link #STANDARD}, with each of {@link #WINDOW}, {@link #OUT} and {@link #IN} that
     * {@code environment} sets in its place; fails naming the variable when one is not a number of seconds.
     */
    public static ScalingTimings from(Map<String, String> environment) {
        return new ScalingTimings(seconds(environment, WINDOW, STANDARD.window, 1),
                seconds(environment, OUT, STANDARD.scaleOutCooldown, 0),
                seconds(environment, IN, STANDARD.scaleInCooldown, 0));
    }

    private static Duration seconds(Map<String, String> environment, String name, Duration standard, int least) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return standard;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= least && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a number of seconds from " + least
                + " to 86400 (the default is " + standard.toSeconds() + ")");
    }
}
