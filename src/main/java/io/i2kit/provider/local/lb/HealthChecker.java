package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Durations;
import io.i2kit.manifest.Health;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Checks one service's backends with the manifest's {@link Health}: the check's instance port is
 * reached through each backend's host port. Probes block (up to the check's timeout) on the shared
 * scheduler's threads, one task per backend, at a fixed delay without jitter: the check's interval
 * while the backend is healthy, {@link #UNSETTLED_INTERVAL} (or the interval, if shorter) while it
 * is not. So a VM that has just booted enters its balancer within a second of serving instead of
 * up to one interval later (HAProxy's {@code fastinter} does the same); the thresholds still count
 * consecutive verdicts, and a healthy backend is found failing no sooner than before.
 */
public final class HealthChecker {
    static final Duration UNSETTLED_INTERVAL = Duration.ofSeconds(1);

    private final Health health;
    private final ScheduledExecutorService scheduler;
    private final Probe probe;

    public HealthChecker(Health health, ScheduledExecutorService scheduler) {
        this(health, scheduler, TcpProbe.DEFAULT_WINDOW);
    }

    HealthChecker(Health health, ScheduledExecutorService scheduler, Duration tcpWindow) {
        this.health = health;
        this.scheduler = scheduler;
        this.probe = health.protocol() == Health.Kind.HTTP ? new HttpProbe(health.path()) : new TcpProbe(tcpWindow);
    }

    /**
     * A scheduler for health checks whose threads are named {@code i2kit-health-N}; the caller shuts it
     * down. Daemon threads, so a forgotten scheduler never keeps the CLI alive.
     */
    public static ScheduledExecutorService newScheduler(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "i2kit-health-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, factory);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    public Health health() {
        return health;
    }

    /** One probe now, on the caller's thread. */
    public ProbeResult probe(Backend backend) {
        Optional<Endpoint> target = backend.endpoint(health.port());
        if (target.isEmpty()) {
            return ProbeResult.fail("backend " + backend.id() + " does not forward instance port " + health.port());
        }
        return probe.probe(target.get(), health.port(), backend.forwards(), health.timeout());
    }

    /**
     * Probes every interval and tells {@code listener} when the backend becomes healthy or unhealthy.
     * Close the watch to stop; a probe already running finishes but reports nothing.
     */
    public Watch watch(Backend backend, HealthListener listener) {
        HealthTracker tracker = new HealthTracker(health);
        long graceEnds = System.nanoTime() + health.gracePeriod().toNanos();
        Watch watch = new Watch(scheduler);
        watch.start(() -> {
            ProbeResult result = probe(backend);
            Optional<Boolean> change = tracker.record(result.passed(), System.nanoTime() < graceEnds);
            if (change.isPresent() && !watch.closed) {
                try {
                    listener.healthChanged(backend.id(), change.get(), result);
                } catch (RuntimeException e) {
                    // A listener's bug must not stop the checks.
                }
            }
            return delayMillis(tracker.healthy());
        });
        return watch;
    }

    /** The delay before the next probe of a backend that is (or is not yet) healthy. */
    long delayMillis(boolean healthy) {
        Duration interval = health.interval();
        return (healthy || interval.compareTo(UNSETTLED_INTERVAL) <= 0 ? interval : UNSETTLED_INTERVAL).toMillis();
    }

    /**
     * Probes until healthy-threshold consecutive passes (healthy) or the timeout, at the cadence of a
     * backend that is not yet healthy. Used by rolling updates before a new VM replaces an old one;
     * failures do not end the wait, only time does.
     */
    public ProbeResult awaitHealthy(Backend backend, Duration timeout) throws InterruptedException {
        HealthTracker tracker = new HealthTracker(health);
        AtomicReference<ProbeResult> last = new AtomicReference<>(ProbeResult.fail("not probed yet"));
        CompletableFuture<ProbeResult> healthy = new CompletableFuture<>();
        Watch task = new Watch(scheduler);
        task.start(() -> {
            ProbeResult result = probe(backend);
            last.set(result);
            if (tracker.record(result.passed(), true).orElse(false)) {
                healthy.complete(result);
            }
            return delayMillis(false);
        });
        try {
            return healthy.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ProbeResult.fail("not healthy within " + Durations.format(timeout) + "; last check: " + last.get().detail());
        } catch (ExecutionException e) {
            throw new IllegalStateException("health probe failed unexpectedly", e.getCause());
        } finally {
            task.close();
        }
    }

    /** A running watch; closing it cancels the periodic probe. */
    public static final class Watch implements AutoCloseable {
        private final ScheduledExecutorService scheduler;
        private ScheduledFuture<?> next;
        private volatile boolean closed;

        private Watch(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
        }

        /** Runs {@code probe} now, then again after the delay each run returns, until closed. */
        private void start(LongSupplier probe) {
            schedule(probe, 0);
        }

        private synchronized void schedule(LongSupplier probe, long delayMillis) {
            if (closed) {
                return;
            }
            next = scheduler.schedule(() -> {
                long delay;
                try {
                    delay = probe.getAsLong();
                } catch (RuntimeException e) {
                    delay = UNSETTLED_INTERVAL.toMillis(); // a probe's bug must not stop the checks
                }
                schedule(probe, delay);
            }, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
