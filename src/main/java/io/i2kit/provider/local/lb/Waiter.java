package io.i2kit.provider.local.lb;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, up to a timeout, for a condition that other threads announce through {@link #signal()}.
 * Waking on a signal instead of polling means a drain ends the moment its last connection does.
 */
final class Waiter {
    private final Object lock = new Object();

    void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** True when {@code done} held before the timeout. */
    boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded even if a signal is lost: the condition is re-read at least every 100 ms.
                long millis = Math.max(1, Math.min(100, left / 1_000_000));
                lock.wait(millis);
            }
            return true;
        }
    }
}
