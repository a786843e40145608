package io.i2kit.provider.local.lb;

import io.i2kit.I2kitException;
import io.i2kit.manifest.Durations;
import io.i2kit.manifest.Protocol;
import io.i2kit.provider.Waiter;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local stand-in for one service's cloud load balancer: a listener per load-balancer port, each
 * relaying connections round-robin to the backends in service (registered and passing their health
 * check). One I/O thread, {@code i2kit-lb-<service>}, relays every connection; health checks run on
 * the shared scheduler the caller owns. Close it to stop listening, cut every connection and stop
 * its checks.
 *
 * <p>When no backend is in service a new connection is held up to {@link LoadBalancerConfig#noBackendWait()}
 * for one to come into service, then closed: a rolling update's gap costs a client a short delay
 * instead of an error, and a service that is down answers with an EOF soon instead of a hang.
 */
public final class LoadBalancer implements AutoCloseable {
    /** A drain wakes on every change of the pool; checking at least this often is only a safety net. */
    private static final Duration DRAIN_RECHECK = Duration.ofMillis(100);

    private final LoadBalancerConfig config;
    private final Optional<HealthChecker> checker;
    private final LoadBalancerListener listener;
    private final BackendPool pool = new BackendPool();
    private final List<Relay.Bound> bound;
    /** The TLS terminators and redirects, served by threads of their own beside the relay. */
    private final List<BlockingFront> fronts = new ArrayList<>();
    private final Relay relay;
    private final Thread thread;
    private boolean closed;

    private LoadBalancer(LoadBalancerConfig config, Optional<HealthChecker> checker, LoadBalancerListener listener,
                         List<Relay.Bound> bound, Selector selector) throws IOException {
        this.config = config;
        this.checker = checker;
        this.listener = listener;
        this.bound = List.copyOf(bound);
        this.relay = new Relay(selector, this.bound.stream().filter(b -> b.listener().plain()).toList(), pool,
                config.noBackendWait());
        this.thread = new Thread(relay, "i2kit-lb-" + config.service());
        thread.setDaemon(true);
    }

    /**
     * Binds every listener and starts relaying. Health checks use {@code scheduler}, which the caller
     * owns and shuts down; without a health check in the config, backends are in service once added.
     */
    public static LoadBalancer open(LoadBalancerConfig config, ScheduledExecutorService scheduler,
                                    LoadBalancerListener listener) {
        List<Relay.Bound> bound = new ArrayList<>();
        Selector selector = null;
        try {
            for (Listener l : config.listeners()) {
                ServerSocketChannel server = Endpoint.bind(l.bind());
                bound.add(new Relay.Bound(l, Endpoint.boundOf(l.bind(), server), server));
            }
            selector = Selector.open();
            LoadBalancer lb = new LoadBalancer(config, config.health().map(h -> new HealthChecker(h, scheduler)),
                    listener, bound, selector);
            try {
                lb.startFronts();
            } catch (IOException | RuntimeException e) {
                lb.fronts.forEach(BlockingFront::close);
                throw e;
            }
            lb.thread.start();
            return lb;
        } catch (IOException | RuntimeException e) {
            closeListeners(bound);
            if (selector != null) {
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // Already failing; the first error is the one worth reporting.
                }
            }
            throw e instanceof I2kitException ie ? ie
                    : new I2kitException("cannot start the load balancer of " + config.service() + ": " + e.getMessage(), e);
        }
    }

    /** TLS listeners hand their connections to the plain Unix listener of their port; redirects point at the https port bound. */
    private void startFronts() throws IOException {
        for (Relay.Bound b : bound) {
            Listener l = b.listener();
            String name = "i2kit-lb-" + config.service() + "-" + l.lbPort();
            if (l.protocol().needsCertificate()) {
                Endpoint.Unix plain = (Endpoint.Unix) bound.stream()
                        .filter(o -> o.listener().equals(LoadBalancerConfig.plainSocket(config.listeners(), l.lbPort()).orElseThrow()))
                        .findFirst().orElseThrow().endpoint();
                fronts.add(new BlockingFront(name + "-tls", b.server(), TlsTerminator.handler(config.tls().orElseThrow(), plain)));
            } else if (l.redirectTo().isPresent()) {
                int to = l.redirectTo().getAsInt();
                int httpsPort = bound.stream().filter(o -> o.listener().lbPort() == to && o.listener().protocol().needsCertificate())
                        .map(o -> ((Endpoint.Tcp) o.endpoint()).port()).findFirst().orElseThrow();
                fronts.add(new BlockingFront(name + "-redirect", b.server(), HttpRedirect.handler(httpsPort)));
            }
        }
    }

    public String service() {
        return config.service();
    }

    /** Load-balancer port → where it really listens (the chosen port when 0 was asked). */
    public Map<Integer, Endpoint> endpoints() {
        Map<Integer, Endpoint> result = new LinkedHashMap<>();
        // a public port also listens on a socket for the VMs: the first listener is the one people use
        bound.forEach(b -> result.putIfAbsent(b.listener().lbPort(), b.endpoint()));
        return result;
    }

    /** Load-balancer port → what its first listener (the one people use) speaks to clients. */
    public Map<Integer, Protocol> protocols() {
        Map<Integer, Protocol> result = new LinkedHashMap<>();
        bound.forEach(b -> result.putIfAbsent(b.listener().lbPort(), b.listener().protocol()));
        return result;
    }

    /** Whether a listener terminates TLS (with the certificate in the config). */
    public boolean terminatesTls() {
        return config.tls().isPresent();
    }

    /** The checker with this service's health check, for rolling updates' {@code awaitHealthy}. */
    public Optional<HealthChecker> healthChecker() {
        return checker;
    }

    /** Registers a VM; it receives connections once its health check passes (at once without a check). */
    public synchronized void addBackend(Backend backend) {
        requireOpen();
        BackendPool.Member member = pool.add(backend);
        announce(backend.id(), null, BackendState.STARTING, "registered");
        if (checker.isEmpty()) {
            transition(backend.id(), BackendState.HEALTHY, "no health check");
            return;
        }
        member.watch = checker.get().watch(backend, (id, healthy, last) ->
                transition(id, healthy ? BackendState.HEALTHY : BackendState.UNHEALTHY, last.detail()));
    }

    /**
     * Takes a backend out of service, waits up to {@code timeout} for its connections to end, then
     * closes any left and forgets it. Call before stopping its VM. Unknown ids drain at once.
     */
    public DrainResult drain(String backendId, Duration timeout) throws InterruptedException {
        Optional<BackendPool.Member> found = pool.get(backendId);
        if (found.isEmpty()) {
            return new DrainResult(backendId, true, 0);
        }
        BackendPool.Member member = found.get();
        stopWatching(member);
        transition(backendId, BackendState.DRAINING, "draining for up to " + Durations.format(timeout));
        Waiter.Outcome<Boolean> ended = new Waiter(timeout, DRAIN_RECHECK).wakingOn(pool.changes()).await(() ->
                member.active.get() == 0 ? Waiter.Outcome.done(true) : Waiter.Outcome.retry("connections open"));
        if (ended.state() == Waiter.Outcome.State.INTERRUPTED) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while draining " + backendId);
        }
        boolean drained = ended.state() == Waiter.Outcome.State.DONE;
        int cut = drained ? 0 : cutOnRelay(backendId);
        pool.remove(backendId);
        announce(backendId, BackendState.DRAINING, null,
                drained ? "drained" : "drain timed out; closed " + cut + " connection(s)");
        return new DrainResult(backendId, drained, cut);
    }

    /** A snapshot of every backend's state and active connections, in the order they were added. */
    public List<BackendStatus> backends() {
        return pool.snapshot();
    }

    /** Stops listening (removing Unix socket files), cuts every connection, cancels the health checks. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.all().forEach(LoadBalancer::stopWatching);
        fronts.forEach(BlockingFront::close);
        relay.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeListeners(bound);
    }

    private int cutOnRelay(String backendId) throws InterruptedException {
        CompletableFuture<Integer> cut = new CompletableFuture<>();
        relay.execute(() -> cut.complete(relay.cut(backendId)));
        try {
            return cut.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Only a closed load balancer leaves the task unrun, and closing cut every connection already.
            return 0;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void transition(String id, BackendState to, String reason) {
        pool.setState(id, to).ifPresent(from -> {
            relay.wakeup();
            announce(id, from, to, reason);
        });
    }

    private void announce(String id, BackendState from, BackendState to, String reason) {
        listener.backendChanged(new BackendEvent(config.service(), id, from, to, reason));
    }

    private static void stopWatching(BackendPool.Member member) {
        if (member.watch != null) {
            member.watch.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the load balancer of " + config.service() + " is closed");
        }
    }

    private static void closeListeners(List<Relay.Bound> bound) {
        for (Relay.Bound b : bound) {
            try {
                b.server().close();
                Endpoint.release(b.endpoint());
            } catch (IOException ignored) {
                // Closing on the way out: a listener that will not close has nothing more to give.
            }
        }
    }
}
