package io.i2kit.provider.aws.ami;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently an EBS call that AWS says to retry (5xx, 429, throttling, I/O) is
 * tried again: at most {@code maxAttempts} attempts, pausing an exponentially growing step (from
 * {@code firstDelay}, capped at {@code maxDelay}) between them.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {
    /**
     * 8 attempts, pausing from 0.25 s doubling (at most 20 s): 16 to 32 s of patience in all, enough
     * to ride out throttling bursts without hanging a deployment on a real outage.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(20));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= firstDelay <= maxDelay, not " + firstDelay
                    + " and " + maxDelay);
        }
    }

    /**
     * The pause before retry number {@code retry} (1 for the first): half of the step is fixed and
     * half random, so that blocks throttled together do not all come back together.
     */
    Duration delayBefore(int retry, RandomGenerator random) {
        long step = firstDelay.toNanos() << Math.min(retry - 1, 30);
        if (step <= 0 || step > maxDelay.toNanos()) {
            step = maxDelay.toNanos();
        }
        long half = step / 2;
        return Duration.ofNanos(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }
}
