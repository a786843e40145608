package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls EBS under a {@link RetryPolicy}, counting the retries. A refused request (a 4xx that is not
 * throttling) fails at once. The pause between attempts is a back-off bounded by the policy, not a
 * wait for some state, so it sleeps rather than going through a waiter.
 */
final class Retrier {
    private final RetryPolicy policy;
    private final AtomicInteger retries = new AtomicInteger();

    Retrier(RetryPolicy policy) {
        this.policy = policy;
    }

    <T> T call(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (EbsCallException e) {
                if (!e.retryable()) {
                    throw e;
                }
                if (attempt >= policy.maxAttempts()) {
                    throw attempt == 1 ? e : e.afterAttempts(attempt);
                }
                retries.incrementAndGet();
                pause(policy.delayBefore(attempt, ThreadLocalRandom.current()), e);
            }
        }
    }

    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** Attempts made beyond the first of each call. */
    int retries() {
        return retries.get();
    }

    private static void pause(Duration delay, EbsCallException last) {
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new I2kitException("interrupted while waiting to retry: " + last.getMessage(), e);
        }
    }
}
