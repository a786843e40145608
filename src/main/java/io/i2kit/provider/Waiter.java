package io.i2kit.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every wait of the providers: polls a check until it succeeds, fails for good or the timeout
 * passes, backing off from a short first interval (QEMU usually answers within a second, but a
 * loaded TCG host may take many). A waiter {@link #wakingOn waking on} a {@link Signal} checks again
 * as soon as another thread announces a change, so a load balancer's drain ends the moment its last
 * connection does; the interval then only bounds how long a check can be late.
 */
public final class Waiter {
    private static final Duration FIRST_INTERVAL = Duration.ofMillis(25);

    private final Duration timeout;
    private final Duration firstInterval;
    private final Duration maxInterval;
    private final Clock clock;
    private final Signal signal;

    public Waiter(Duration timeout, Duration maxInterval) {
        // A maximum below the usual first interval (fast tests, tight polls) caps the first one too.
        this(timeout, FIRST_INTERVAL.compareTo(maxInterval) > 0 ? maxInterval : FIRST_INTERVAL, maxInterval);
    }

    /** For checks that cost a remote call each, such as CloudFormation's, a longer first interval. */
    public Waiter(Duration timeout, Duration firstInterval, Duration maxInterval) {
        this(timeout, firstInterval, maxInterval, Clock.SYSTEM, null);
    }

    private Waiter(Duration timeout, Duration firstInterval, Duration maxInterval, Clock clock, Signal signal) {
        if (timeout.isNegative() || firstInterval.isNegative() || maxInterval.compareTo(firstInterval) < 0) {
            throw new IllegalArgumentException("a waiter needs 0 <= first interval <= max interval and a timeout >= 0, not "
                    + timeout + ", " + firstInterval + ", " + maxInterval);
        }
        this.timeout = timeout;
        this.firstInterval = firstInterval;
        this.maxInterval = maxInterval;
        this.clock = Objects.requireNonNull(clock);
        this.signal = signal;
    }

    /** This waiter reading time from, and pausing through, {@code clock}; tests pass one that does not really wait. */
    public Waiter withClock(Clock clock) {
        return new Waiter(timeout, firstInterval, maxInterval, clock, signal);
    }

    /** This waiter ending a pause early when {@code signal} is raised. */
    public Waiter wakingOn(Signal signal) {
        return new Waiter(timeout, firstInterval, maxInterval, clock, Objects.requireNonNull(signal));
    }

    /** What one check found: done with a value, failed for good, or not yet; and how a wait ended otherwise. */
    public record Outcome<T>(State state, T value, String reason) {
        public enum State { DONE, FAILED, RETRY, TIMED_OUT, INTERRUPTED }

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

    /**
     * The first DONE or FAILED outcome; or TIMED_OUT carrying the last retry's reason; or INTERRUPTED
     * (with the thread's interrupt flag set again) when the thread was interrupted while pausing.
     */
    public <T> Outcome<T> await(Supplier<Outcome<T>> check) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long interval = firstInterval.toNanos();
        while (true) {
            // Read before the check: a change announced between the check and the pause still wakes it.
            long seen = signal == null ? 0 : signal.count();
            Outcome<T> outcome = check.get();
            if (outcome.state() != Outcome.State.RETRY) {
                return outcome;
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                return new Outcome<>(Outcome.State.TIMED_OUT, null, outcome.reason());
            }
            try {
                Duration pause = Duration.ofNanos(Math.min(interval, left));
                if (signal == null) {
                    clock.sleep(pause);
                } else {
                    signal.awaitAfter(seen, pause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(Outcome.State.INTERRUPTED, null, "interrupted while waiting: " + outcome.reason());
            }
            interval = Math.min(Math.max(1, interval * 2), maxInterval.toNanos());
        }
    }

    /** Where a waiter reads the time and how it pauses between checks. */
    public interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration pause) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(pause.toNanos());
            }
        };

        long nanoTime();

        void sleep(Duration pause) throws InterruptedException;
    }

    /** Raised by the threads that change what a waiter checks, so that it checks again at once. */
    public static final class Signal {
        private final Object lock = new Object();
        private long count;

        public void raise() {
            synchronized (lock) {
                count++;
                lock.notifyAll();
            }
        }

        long count() {
            synchronized (lock) {
                return count;
            }
        }

        /** Returns once the signal has been raised since {@code seen} was read, or {@code pause} has passed. */
        void awaitAfter(long seen, Duration pause) throws InterruptedException {
            long deadline = System.nanoTime() + pause.toNanos();
            synchronized (lock) {
                while (count == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
        }
    }
}
