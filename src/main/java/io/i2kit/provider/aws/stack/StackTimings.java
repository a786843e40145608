package io.i2kit.provider.aws.stack;

import java.time.Duration;

/**
 * How often stacks and change sets are polled (from {@code firstPoll}, doubling up to
 * {@code maxPoll}) and how long one wait may last before i2kit gives up on it.
 */
public record StackTimings(Duration firstPoll, Duration maxPoll, Duration timeout) {
    /** CloudFormation operations take minutes; polling faster than every few seconds only costs API calls. */
    public static final StackTimings DEFAULTS = new StackTimings(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofMinutes(60));

    public StackTimings {
        if (firstPoll.isNegative() || firstPoll.isZero() || maxPoll.compareTo(firstPoll) < 0 || timeout.isNegative()) {
            throw new IllegalArgumentException("stack timings need 0 < firstPoll <= maxPoll and a timeout >= 0: "
                    + firstPoll + ", " + maxPoll + ", " + timeout);
        }
    }

    /** The timeout as a message gives it: "60 min", "30 s". */
    String timeoutText() {
        long seconds = timeout.toSeconds();
        return seconds >= 120 ? seconds / 60 + " min" : seconds + " s";
    }
}
