package io.i2kit.provider.local;

import io.i2kit.provider.Waiter;
import io.i2kit.I2kitException;
import io.i2kit.manifest.Health;
import io.i2kit.oci.Digest;
import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.DesiredState.ServiceState;
import io.i2kit.provider.local.lb.Backend;
import io.i2kit.provider.local.lb.BackendState;
import io.i2kit.provider.local.lb.BackendStatus;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.lb.ForwardedConnections;
import io.i2kit.provider.local.lb.Listener;
import io.i2kit.provider.local.lb.LoadBalancer;
import io.i2kit.provider.local.lb.LoadBalancerConfig;
import io.i2kit.provider.local.lb.LoadBalancerListener;
import io.i2kit.provider.local.lb.ProbeResult;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.GuestForward;
import io.i2kit.provider.local.vm.Vm;
import io.i2kit.provider.local.vm.VmLauncher;
import io.i2kit.provider.local.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One service at run time: its load balancer and its replicas (VMs), the local stand-in for an
 * auto scaling group behind a cloud load balancer. Replicas of a new version are started beside
 * the old ones, added to the balancer once healthy, and the old ones drained before they stop.
 */
final class ServiceRuntime implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofSeconds(10);
    /** A Linux kernel under KVM prints within a second or two; under TCG on a loaded 2-core host, within ~20 s. */
    private static final Duration SILENT_UNDER_KVM = Duration.ofSeconds(10);
    private static final Duration SILENT_UNDER_TCG = Duration.ofSeconds(60);

    private final AppPaths paths;
    private final VmLauncher launcher;
    private final Supplier<Accelerator> accelerator;
    private ServiceState state;
    /** Empty for a service without ports (a worker): nothing to balance or check. */
    private final Optional<LoadBalancer> balancer;
    private final List<Replica> replicas = new ArrayList<>();
    private int generation;
    private int nextReplica;
    private int failures;
    private Instant nextAttempt = Instant.MIN;
    private static final Duration BACKOFF_FIRST = Duration.ofSeconds(2);
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(2);
    private static final java.util.regex.Pattern REPLICA_ID = java.util.regex.Pattern.compile(".+-g(\\d+)-r(\\d+)");

    /** A VM of the service and when it started. */
    record Replica(String id, int generation, Vm vm, Instant started) {
    }

    ServiceRuntime(AppPaths paths, VmLauncher launcher, ServiceState state, ScheduledExecutorService scheduler,
                   LoadBalancerListener events, Supplier<Accelerator> accelerator) {
        this.paths = paths;
        this.launcher = launcher;
        this.accelerator = accelerator;
        this.balancer = config(state).map(config -> LoadBalancer.open(config, scheduler, events));
        this.state = bound(state);
    }

    /**
     * {@code desired} with the host ports this balancer listens on: asked-for ports that were taken
     * were replaced by free ones, and the balancer keeps its ports across updates.
     */
    private ServiceState bound(ServiceState desired) {
        if (balancer.isEmpty()) {
            return desired;
        }
        Map<Integer, Endpoint> endpoints = balancer.get().endpoints();
        return desired.withPorts(desired.ports().stream().map(p -> p.listen().startsWith("tcp:")
                && endpoints.get(p.lbPort()) instanceof Endpoint.Tcp tcp
                ? new DesiredState.PortState(p.protocol(), p.lbPort(), p.instancePort(), "tcp:" + tcp.port(), p.socket())
                : p).toList());
    }

    ServiceState state() {
        return state;
    }

    Optional<LoadBalancer> balancer() {
        return balancer;
    }

    synchronized List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /**
     * Brings the service to {@code desired}: new VMs (of the new version) one at a time, each
     * waited for until healthy, then one old VM drained and stopped. If a new VM never becomes
     * healthy, the VMs started by this call are removed and the old ones keep serving.
     */
    void rollTo(ServiceState desired, Consumer<String> progress) {
        boolean newVersion = !desired.sameVmAs(state);
        List<Replica> old = newVersion ? new ArrayList<>(replicas()) : new ArrayList<>();
        List<Replica> started = new ArrayList<>();
        int gen = newVersion || generation == 0 ? generation + 1 : generation;
        try {
            int keep = newVersion ? 0 : replicas().size();
            if (old.isEmpty()) {
                // Nothing serves yet (or only more replicas are wanted): start them all at once.
                for (int i = keep; i < desired.replicas(); i++) {
                    started.add(start(desired, gen, progress));
                }
                for (Replica r : started) {
                    awaitHealthy(desired, r, progress);
                }
            } else {
                // An update keeps capacity: one new VM healthy and in service, then one old one out.
                for (int i = keep; i < desired.replicas(); i++) {
                    Replica r = start(desired, gen, progress);
                    started.add(r);
                    awaitHealthy(desired, r, progress);
                    stop(old.remove(0), progress);
                }
            }
            for (Replica r : old) {
                stop(r, progress);
            }
            while (replicas().size() > desired.replicas()) {
                stop(replicas().get(replicas().size() - 1), progress);
            }
            state = bound(desired);
            generation = gen;
        } catch (RuntimeException e) {
            progress.accept("[" + desired.name() + "] rolling back: " + (e.getMessage() == null ? e : e.getMessage()));
            for (Replica r : started) {
                stop(r, progress);
            }
            throw e;
        }
    }

    private Replica start(ServiceState s, int gen, Consumer<String> progress) {
        int index = nextReplica++;
        String id = s.name() + "-g" + gen + "-r" + index;
        Path dir = paths.vm(s.name(), gen, index);
        List<Integer> exposed = s.ports().stream().map(DesiredState.PortState::instancePort).distinct().toList();
        if (s.health() != null && !exposed.contains(s.health().port())) {
            exposed = new ArrayList<>(exposed);
            exposed.add(s.health().port());
        }
        VmSpec spec = new VmSpec(id, Path.of(s.kernel()), Path.of(s.initrd()), s.cmdline(), s.memoryMiB(), s.cpus(),
                exposed, s.forwards().stream().map(ServiceRuntime::forward).toList(), Optional.of(s.metadata()), dir,
                accelerator.get());
        progress.accept("[" + s.name() + "] starting " + id + " (" + Digest.shortForm(s.image()) + ")");
        Vm vm = launcher.start(spec);
        Replica r = new Replica(id, gen, vm, Instant.now());
        synchronized (this) {
            replicas.add(r);
        }
        balancer.ifPresent(b -> b.addBackend(backend(id, vm)));
        return r;
    }

    /**
     * Probes the new replica until it passes the healthy threshold in a row, failing at once when
     * its VM exits, and at the end of the grace period plus the checks it needs otherwise.
     */
    private void awaitHealthy(ServiceState s, Replica r, Consumer<String> progress) {
        if (s.health() == null || balancer.isEmpty()) {
            return; // a worker: no load balancer traffic, nothing to check
        }
        var checker = balancer.get().healthChecker().orElseThrow();
        Duration timeout = Duration.ofMillis(s.health().graceMs() + s.health().intervalMs() * (s.health().healthy() + 2));
        Instant deadline = Instant.now().plus(timeout);
        Backend backend = backend(r.id(), r.vm());
        int passes = 0;
        ProbeResult last = new ProbeResult(false, "not probed yet");
        while (passes < s.health().healthy()) {
            if (!r.vm().alive()) {
                throw new I2kitException(r.id() + " exited before it became healthy; the end of its console:\n"
                        + r.vm().consoleTail(15));
            }
            silentConsole(r).ifPresent(why -> {
                throw new I2kitException(why);
            });
            if (Instant.now().isAfter(deadline)) {
                throw new I2kitException(r.id() + " did not become healthy within " + timeout.toSeconds() + " s ("
                        + last.detail() + "); the end of its console:\n" + r.vm().consoleTail(15));
            }
            last = checker.probe(backend);
            passes = last.passed() ? passes + 1 : 0;
            if (passes < s.health().healthy()) {
                pause(Math.min(s.health().intervalMs(), 1000));
            }
        }
        // The balancer's own watch takes it in on its next pass.
        Waiter.Outcome<Boolean> taken = new Waiter(Duration.ofSeconds(30), Duration.ofMillis(200))
                .await(() -> inService(r.id()) ? Waiter.Outcome.done(true) : Waiter.Outcome.retry("not in service yet"));
        if (taken.state() != Waiter.Outcome.State.DONE) {
            throw new I2kitException(r.id() + " passed its checks but the load balancer did not take it in within 30 s");
        }
        progress.accept("[" + s.name() + "] " + r.id() + " is healthy and in the load balancer");
    }

    /**
     * A VM whose console is still empty long after it started: the kernel never ran. Under KVM that is
     * a host whose KVM cannot run Linux (the probe's verdict can go stale), so say how to force TCG.
     */
    static Optional<String> silentConsole(Replica r) {
        Duration silent = r.vm().accelerator() == Accelerator.KVM ? SILENT_UNDER_KVM : SILENT_UNDER_TCG;
        if (Duration.between(r.started(), Instant.now()).compareTo(silent) < 0 || !r.vm().consoleTail(1).isEmpty()) {
            return Optional.empty();
        }
        String hint = r.vm().accelerator() == Accelerator.KVM
                ? "KVM may not run Linux on this host: force TCG with --accel tcg (or I2KIT_ACCEL=tcg)"
                : "the host may be too loaded to emulate it; QEMU's own output ends with:\n" + r.vm().qemuLogTail(10);
        return Optional.of(r.id() + " printed nothing on its console in " + silent.toSeconds() + " s under "
                + r.vm().accelerator() + "; " + hint);
    }

    /** The VM as the balancer sees it, with QEMU's view of forwarded connections for TCP checks. */
    static Backend backend(String id, Vm vm) {
        Map<Integer, Endpoint> endpoints = new java.util.HashMap<>();
        for (int port : vm.ports()) {
            endpoints.put(port, Endpoint.unix(vm.socket(port)));
        }
        ForwardedConnections forwards = new ForwardedConnections() {
            @Override
            public java.util.Set<Long> open(int instancePort) {
                return vm.forwardedConnections(instancePort);
            }

            @Override
            public State since(int instancePort, java.util.Set<Long> before) {
                List<String> states = vm.newForwardedConnectionStates(instancePort, before);
                if (states.isEmpty()) {
                    return State.GONE;
                }
                return states.stream().allMatch("ESTABLISHED"::equals) ? State.ACCEPTED : State.PENDING;
            }
        };
        return new Backend(id, endpoints, Optional.of(forwards));
    }

    boolean inService(String id) {
        return backend(id).filter(b -> b.state() == BackendState.HEALTHY).isPresent();
    }

    Optional<BackendStatus> backend(String id) {
        return balancer.flatMap(lb -> lb.backends().stream().filter(b -> b.id().equals(id)).findFirst());
    }

    /** Drains a replica from the balancer, then stops its VM. */
    void stop(Replica r, Consumer<String> progress) {
        try {
            if (balancer.isPresent()) {
                balancer.get().drain(r.id(), DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.vm().stop(STOP_GRACE);
        synchronized (this) {
            replicas.remove(r);
        }
        progress.accept("[" + state.name() + "] stopped " + r.id());
    }

    /**
     * Replaces a replica whose VM exited or that failed its health checks. A replacement that fails
     * is stopped too, leaving the service short: {@link #fillUp} retries it with back-off.
     */
    void replace(Replica dead, String why, Consumer<String> progress) {
        progress.accept("[" + state.name() + "] " + dead.id() + " " + why + "; replacing it");
        stop(dead, progress);
        fillUp(progress);
    }

    /** Whether the service runs fewer VMs than it should and its back-off allows another try now. */
    synchronized boolean belowCount() {
        return replicas.size() < state.replicas() && !Instant.now().isBefore(nextAttempt);
    }

    /**
     * Starts one VM toward the replica count and waits until it is healthy. A failure stops it and
     * doubles the wait before the next try (2 s up to 2 min), so a broken image is not restarted in
     * a tight loop, and a service never stays short while it could start VMs.
     */
    void fillUp(Consumer<String> progress) {
        Replica r = null;
        try {
            r = start(state, Math.max(1, generation), progress);
            awaitHealthy(state, r, progress);
            synchronized (this) {
                failures = 0;
                nextAttempt = Instant.MIN;
            }
        } catch (RuntimeException e) {
            // QEMU may fail to start at all (a missing kernel, no memory): that too waits its turn.
            if (r != null) {
                stop(r, progress);
            }
            Duration wait;
            synchronized (this) {
                failures++;
                wait = BACKOFF_FIRST.multipliedBy(1L << Math.min(6, failures - 1));
                wait = wait.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : wait;
                nextAttempt = Instant.now().plus(wait);
            }
            progress.accept("[" + state.name() + "] replacement " + (r == null ? "VM" : r.id()) + " failed ("
                    + e.getMessage() + "); next try in " + wait.toSeconds() + " s");
        }
    }

    /**
     * Takes over the VMs a previous supervisor left running (found by their work directories and
     * checked to be their QEMU), putting them behind this balancer without restarting them.
     */
    void adopt(List<Path> workDirs, Consumer<String> progress) {
        for (Path dir : workDirs) {
            Optional<Vm> vm = Vm.adopt(dir);
            java.util.regex.Matcher m = REPLICA_ID.matcher(dir.getFileName().toString());
            if (vm.isEmpty() || !m.matches()) {
                continue;
            }
            String id = dir.getFileName().toString();
            Replica r = new Replica(id, Integer.parseInt(m.group(1)), vm.get(),
                    vm.get().startedAt().orElse(Instant.now()));
            synchronized (this) {
                replicas.add(r);
                generation = Math.max(generation, r.generation());
                nextReplica = Math.max(nextReplica, Integer.parseInt(m.group(2)) + 1);
            }
            balancer.ifPresent(b -> b.addBackend(backend(id, vm.get())));
            progress.accept("[" + state.name() + "] adopted " + id + " (pid " + vm.get().pid() + "), left running");
        }
    }

    @Override
    public void close() {
        for (Replica r : replicas()) {
            r.vm().stop(Duration.ofSeconds(2));
        }
        synchronized (this) {
            replicas.clear();
        }
        balancer.ifPresent(LoadBalancer::close);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The service's balancer; none for a service without (TCP) ports. */
    static Optional<LoadBalancerConfig> config(ServiceState s) {
        List<Listener> listeners = new ArrayList<>();
        for (DesiredState.PortState p : s.ports()) {
            Protocol protocol = Protocol.parse(p.protocol()).orElseThrow();
            if (protocol == Protocol.UDP) {
                continue; // QEMU's guest forwards and this balancer carry TCP only (docs/local.md)
            }
            // https and tls terminate TLS on AWS; locally the balancer passes the bytes through.
            Protocol local = protocol.isHttpFamily() ? Protocol.HTTP : Protocol.TCP;
            listeners.add(new Listener(p.lbPort(), local, endpoint(p.listen()), p.instancePort()));
            if (p.listen().startsWith("tcp:")) {
                listeners.add(new Listener(p.lbPort(), local, Endpoint.unix(Path.of(p.socket())), p.instancePort()));
            }
        }
        if (listeners.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LoadBalancerConfig(s.name(), listeners, Optional.ofNullable(s.health())
                .map(ServiceRuntime::health), LoadBalancerConfig.DEFAULT_NO_BACKEND_WAIT));
    }

    /** A public port binds the port asked for, or a free one when that is taken (or needs root). */
    static Endpoint endpoint(String listen) {
        if (listen.startsWith("tcp:")) {
            int port = Integer.parseInt(listen.substring(4));
            return Endpoint.tcp(port == 0 || bindable(port) ? port : 0);
        }
        return Endpoint.unix(Path.of(listen.substring(5)));
    }

    private static boolean bindable(int port) {
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static GuestForward forward(DesiredState.ForwardState f) {
        return new GuestForward(f.guestIp(), f.guestPort(), new GuestForward.UnixSocket(Path.of(f.socket())));
    }

    private static Health health(DesiredState.HealthState h) {
        return new Health(Health.Kind.valueOf(h.protocol().toUpperCase(java.util.Locale.ROOT)), h.port(), h.path(),
                Duration.ofMillis(h.intervalMs()), Duration.ofMillis(h.timeoutMs()), h.healthy(), h.unhealthy(),
                Duration.ofMillis(h.graceMs()));
    }
}
