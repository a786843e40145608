package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import io.i2kit.manifest.Health;
import io.i2kit.provider.Waiter;
import io.i2kit.provider.local.lb.Backend;
import io.i2kit.provider.local.lb.BackendState;
import io.i2kit.provider.local.lb.HealthChecker;
import io.i2kit.provider.local.lb.LoadBalancer;
import io.i2kit.provider.local.lb.ProbeResult;
import io.i2kit.provider.local.vm.Accelerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Waits for a new replica to serve: probes it until it passes its health check the healthy
 * threshold in a row, then until its load balancer's own watch has taken it in. Fails at once when
 * its VM exits or its console stays silent, and when either wait runs out, saying which.
 */
final class ReplicaWaiter {
    private static final int CONSOLE_LINES = 15;

    private final Timings timings;

    ReplicaWaiter(Timings timings) {
        this.timings = timings;
    }

    /**
     * Returns once {@code r} is healthy and in service behind {@code balancer}; throws why not
     * otherwise, and {@link RolloutAbandoned} as soon as {@code abandon} names a reason to give up.
     */
    void await(Replica r, Backend backend, Health health, LoadBalancer balancer, Supplier<Optional<String>> abandon) {
        HealthChecker checker = balancer.healthChecker().orElseThrow();
        // The grace period, then the checks it needs and two more: a replica that passes late still counts.
        Duration timeout = health.gracePeriod().plus(health.interval().multipliedBy(health.healthyThreshold() + 2L));
        Duration pause = health.interval().compareTo(timings.probePause()) < 0 ? health.interval() : timings.probePause();
        AtomicInteger passes = new AtomicInteger();
        Waiter.Outcome<ProbeResult> healthy = new Waiter(timeout, pause, pause).await(() -> {
            Optional<String> abandoned = abandon.get();
            if (abandoned.isPresent()) {
                throw new RolloutAbandoned(abandoned.get());
            }
            if (!r.vm().alive()) {
                return Waiter.Outcome.failed(r.id() + " exited before it became healthy; the end of its console:\n"
                        + r.vm().consoleTail(CONSOLE_LINES));
            }
            Optional<String> silent = silentConsole(r);
            if (silent.isPresent()) {
                return Waiter.Outcome.failed(silent.get());
            }
            ProbeResult last = checker.probe(backend);
            return passes.updateAndGet(n -> last.passed() ? n + 1 : 0) >= health.healthyThreshold()
                    ? Waiter.Outcome.done(last) : Waiter.Outcome.retry(last.detail());
        });
        if (healthy.state() == Waiter.Outcome.State.FAILED) {
            throw new I2kitException(healthy.reason());
        }
        if (healthy.state() != Waiter.Outcome.State.DONE) {
            throw new I2kitException(r.id() + " did not become healthy within " + spoken(timeout) + " ("
                    + healthy.reason() + "); the end of its console:\n" + r.vm().consoleTail(CONSOLE_LINES));
        }
        Waiter.Outcome<Boolean> taken = new Waiter(timings.takenIn(), pause).await(() ->
                inService(balancer, r.id()) ? Waiter.Outcome.done(true) : Waiter.Outcome.retry("not in service yet"));
        if (taken.state() != Waiter.Outcome.State.DONE) {
            throw new I2kitException(r.id() + " passed its checks but the load balancer did not take it in within "
                    + spoken(timings.takenIn()));
        }
    }

    /** As the rest of the supervisor's messages say it: {@code 30 s}, or {@code 250 ms} below a second. */
    private static String spoken(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static boolean inService(LoadBalancer balancer, String id) {
        return balancer.backends().stream().anyMatch(b -> b.id().equals(id) && b.state() == BackendState.HEALTHY);
    }

    /**
     * A VM whose console is still empty long after it started: the kernel never ran. Under KVM that is
     * a host whose KVM cannot run Linux (the probe's verdict can go stale), so say how to force TCG.
     */
    Optional<String> silentConsole(Replica r) {
        Duration silent = r.vm().accelerator() == Accelerator.KVM ? timings.silentUnderKvm() : timings.silentUnderTcg();
        if (Duration.between(r.started(), Instant.now(timings.clock())).compareTo(silent) < 0
                || !r.vm().consoleTail(1).isEmpty()) {
            return Optional.empty();
        }
        String hint = r.vm().accelerator() == Accelerator.KVM
                ? "KVM may not run Linux on this host: force TCG with --accel tcg (or I2KIT_ACCEL=tcg)"
                : "the host may be too loaded to emulate it; QEMU's own output ends with:\n" + r.vm().qemuLogTail(10);
        return Optional.of(r.id() + " printed nothing on its console in " + spoken(silent) + " under "
                + r.vm().accelerator() + "; " + hint);
    }
}
