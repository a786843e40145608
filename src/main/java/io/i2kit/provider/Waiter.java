package io.i2kit.provider;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Every wait of the providers: polls a check until it succeeds, fails for good or the timeout
 * passes, backing off from a short first interval (QEMU usually answers within a second, but a
 * loaded TCG host may take many).
 */
public final class Waiter {
    private static final Duration FIRST_INTERVAL = Duration.ofMillis(25);

    private final Duration timeout;
    private final Duration firstInterval;
    private final Duration maxInterval;

    public Waiter(Duration timeout, Duration maxInterval) {
        this(timeout, FIRST_INTERVAL, maxInterval);
    }

    /** For checks that cost a remote call each, such as CloudFormation's, a longer first interval. */
    public Waiter(Duration timeout, Duration firstInterval, Duration maxInterval) {
        this.timeout = timeout;
        this.firstInterval = firstInterval;
        this.maxInterval = maxInterval;
    }

    /** What one check found: done with a value, failed for good, or not yet. */
    public record Outcome<T>(State state, T value, String reason) {
        public enum State { DONE, FAILED, RETRY, TIMED_OUT }

        public static <T> Outcome<T> done(T value) {
            return new Outcome<>(State.DONE, value, null);
        }

        public static <T> Outcome<T> failed(String reason) {
            return new Outcome<>(State.FAILED, null, reason);
        }

        public static <T> Outcome<T> retry(String reason) {
            return new Outcome<>(State.RETRY, null, reason);
        }
    }

    /** The first DONE or FAILED outcome, or TIMED_OUT carrying the last retry's reason. */
    public <T> Outcome<T> await(Supplier<Outcome<T>> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long interval = firstInterval.toNanos();
        while (true) {
            Outcome<T> outcome = check.get();
            if (outcome.state() != Outcome.State.RETRY) {
                return outcome;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Outcome<>(Outcome.State.TIMED_OUT, null, outcome.reason());
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(interval, left)).toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(Outcome.State.FAILED, null, "interrupted while waiting: " + outcome.reason());
            }
            interval = Math.min(interval * 2, maxInterval.toNanos());
        }
    }
}
