package io.i2kit.provider.local;

import io.i2kit.event.Event;
import io.i2kit.I2kitException;
import io.i2kit.provider.local.lb.BackendEvent;
import io.i2kit.provider.local.lb.BackendState;
import io.i2kit.provider.local.lb.HealthChecker;
import io.i2kit.provider.local.lb.LoadBalancer;
import io.i2kit.provider.local.tls.LocalCa;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.Hypervisor;
import io.i2kit.provider.local.vm.Vm;
import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps one application running on this machine, as the cloud's auto scaling groups and load
 * balancers would: every service at its replica count, a VM that exits or fails its health checks
 * replaced, updates rolled out one VM at a time with rollback. Nothing else of i2kit runs.
 */
public final class Supervisor implements AutoCloseable {
    private final AppPaths paths;
    private final Hypervisor hypervisor;
    private final Timings timings;
    private final ScheduledExecutorService scheduler = HealthChecker.newScheduler(8);
    /** In manifest order; read without the supervisor's lock, so status answers during a long apply or repair. */
    private final Map<String, ServiceRuntime> services = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    /** The autoscaled services' scalers, by service; made by the reconciler, which alone uses them. */
    private final Map<String, CpuScaler> scalers = new ConcurrentHashMap<>();
    private final Consumer<Event.Note> log;
    private volatile DesiredState desired;
    private volatile Accelerator accelerator = Accelerator.TCG;

    public Supervisor(AppPaths paths, Hypervisor hypervisor, Consumer<Event.Note> log) {
        this(paths, hypervisor, Timings.standard(System.getenv()), log);
    }

    Supervisor(AppPaths paths, Hypervisor hypervisor, Timings timings, Consumer<Event.Note> log) {
        this.paths = paths;
        this.hypervisor = hypervisor;
        this.timings = timings;
        this.log = log;
        long every = timings.reconcileEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::reconcile, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Makes this process the application's one supervisor, for as long as it lives; fails naming the
     * other one if it runs.
     */
    public static java.nio.channels.FileLock claim(AppPaths paths) {
        return SupervisorProcess.claim(paths);
    }

    /**
     * Applies a desired state as one change: when any service's rollout fails, every service it
     * changed returns to where it stood, services it added are stopped and those it removed keep
     * running; the error says what became of each, and precisely what runs where a rollback failed too.
     */
    public synchronized void apply(DesiredState next, Consumer<Event.Note> progress) {
        try {
            Files.createDirectories(paths.sockets(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new I2kitException("cannot create " + paths.sockets() + ": " + e.getMessage(), e);
        }
        DesiredState previous = desired;
        Accelerator before = accelerator;
        accelerator = next.accelerator();
        List<Rollout.Change> changes = new ArrayList<>();
        for (DesiredState.ServiceState asked : next.services()) {
            ServiceRuntime running = services.get(asked.name());
            DesiredState.ServiceState s = running == null ? asked : asked.keeping(running.state());
            s.autoscaling().filter(a -> a.cpuPercent().isEmpty()).ifPresent(a -> progress.accept(Event.Note.warning(
                    Event.Phase.DEPLOY, s.name() + ": requests_per_target scales on AWS only; locally it stays at its min of "
                            + a.min() + " (the local load balancer relays connections and counts no requests)")));
            if (running == null) {
                running = new ServiceRuntime(paths, hypervisor, timings, s, scheduler, this::backendChanged,
                        this::accelerator);
                services.put(s.name(), running);
                changes.add(new Rollout.Change(running, Optional.empty(), s));
                continue;
            }
            if (!running.balancerServes(s)) {
                progress.accept(note(s.name(), "hostname or redirect_http changed: its load balancer keeps the"
                        + " certificate and redirects it started with until it starts again (i2kit down, then up)"));
            }
            if (s.sameVmAs(running.state()) && s.replicas() == running.replicas().size()
                    && s.autoscaling().equals(running.state().autoscaling())) {
                progress.accept(note(s.name(), "unchanged"));
            } else {
                changes.add(new Rollout.Change(running, Optional.of(running.checkpoint()), s));
            }
        }
        List<String> removed = services.keySet().stream().filter(name -> next.service(name).isEmpty()).toList();
        Rollout rollout = new Rollout(changes);
        Rollout.Result result = rollout.forward(progress);
        if (result.failed()) {
            // The VMs of the rollback are the previous version's: start them as the last up chose.
            accelerator = previous == null ? accelerator : before;
            result = rollout.back(progress, name -> services.remove(name).close())
                    .with(removed.stream().map(name -> new Rollout.Fate(name, Rollout.Fate.Kind.KEPT, "kept running",
                            "removed from the manifest, but the update failed")).toList());
        } else {
            // Removed last, so that a failed update finds them still running.
            for (String name : removed) {
                progress.accept(note(name, "removed from the manifest: stopping"));
                services.remove(name).close();
            }
            desired = next;
        }
        if (desired == null) {
            desired = next; // a first up that failed: the application's name for the state it writes
        }
        writeState();
        if (result.failed()) {
            throw new I2kitException(result.message());
        }
    }

    /** For VMs started from now on, healing included: the one the last {@code up} chose. */
    private Accelerator accelerator() {
        return accelerator;
    }

    private void backendChanged(BackendEvent e) {
        // from STARTING too: a replica that never became healthy (adopted, or started by healing)
        // is replaced like one that stopped being healthy
        if (e.to() == BackendState.UNHEALTHY) {
            unhealthy.add(e.backendId());
        } else if (e.to() == BackendState.HEALTHY) {
            unhealthy.remove(e.backendId()); // it recovered before the reconciler came round
        }
        log.accept(note(e.service(), e.backendId() + ": " + e.from() + " -> " + e.to()
                + (e.reason() == null ? "" : " (" + e.reason() + ")")));
    }

    /**
     * Takes over what the previous supervisor of the application left: its services as they last
     * ran, and those of their VMs that still run, without restarting any. The reconciler then brings
     * every service back to its count.
     */
    public synchronized void resume() {
        if (!Files.exists(paths.running()) || !Files.exists(paths.state())) {
            return;
        }
        try {
            DesiredState last = DesiredState.fromJson(Files.readString(paths.running()));
            Status lastStatus = LocalJson.read(Files.readString(paths.state()), Status.class);
            accelerator = last.accelerator();
            for (DesiredState.ServiceState s : last.services()) {
                ServiceRuntime runtime = new ServiceRuntime(paths, hypervisor, timings, s, scheduler, this::backendChanged,
                        this::accelerator);
                services.put(s.name(), runtime);
                runtime.adopt(lastStatus.services().stream().filter(st -> st.name().equals(s.name()))
                        .flatMap(st -> st.running().stream()).map(r -> Path.of(r.workDir())).toList(), log);
            }
            desired = last;
            stopStrays();
        } catch (IOException | RuntimeException e) {
            log.accept(Event.Note.warning(Event.Phase.DEPLOY, "supervisor: cannot take over the last state in " + paths.root() + ": " + e.getMessage()
                    + "; VMs it names are left as they are (i2kit down stops them)"));
        }
    }

    /**
     * Stops the VMs of this application that no service took over: one the last supervisor started
     * after it last wrote its state (a replacement under way as it died) would otherwise run on,
     * unseen by status and holding its memory, until down.
     */
    private void stopStrays() {
        Set<Path> adopted = inUse();
        for (Vm vm : hypervisor.runningIn(paths.vms())) {
            if (!adopted.contains(vm.workDir().toAbsolutePath().normalize())) {
                log.accept(Event.Note.warning(Event.Phase.DEPLOY, "supervisor: stopping " + vm.name()
                        + ", which the last supervisor started but never recorded"));
                vm.stop(Duration.ofSeconds(2));
            }
        }
    }

    /**
     * Replaces what died or turned unhealthy and starts what is missing; runs on the scheduler, never
     * during an apply.
     */
    void reconcile() {
        synchronized (this) {
            try {
                // verdicts on replicas an apply has since removed (a failed rollout's new VMs) are void:
                // a stateful replica's id comes back with its replacement
                Set<String> current = new HashSet<>();
                services.values().forEach(s -> s.replicas().forEach(r -> current.add(r.id())));
                unhealthy.retainAll(current);
                for (ServiceRuntime service : List.copyOf(services.values())) {
                    for (Replica r : service.replicas()) {
                        if (!r.vm().alive()) {
                            // a stateful replacement takes the same id: no stale verdict may follow it
                            unhealthy.remove(r.id());
                            service.replace(r, "exited", log);
                        } else if (unhealthy.remove(r.id())) {
                            service.replace(r, "failed its health checks", log);
                        }
                    }
                    if (service.belowCount()) {
                        service.fillUp(log);
                    }
                    scale(service);
                    // the console's marks (logs --since) start over when it is capped
                    service.replicas().forEach(r -> r.vm().logs().forEach(log -> {
                        boolean rotated = LogRotation.rotate(log, LogRotation.MAX_BYTES);
                        if (log.equals(r.vm().console())) {
                            ConsoleMarks.mark(log, rotated, timings.clock().instant());
                        }
                    }));
                }
                scalers.keySet().retainAll(services.keySet());
                LogRotation.rotate(paths.log(), LogRotation.MAX_BYTES);
                Set<Path> live = inUse();
                hypervisor.runningIn(paths.vms()).forEach(vm -> live.add(vm.workDir().toAbsolutePath().normalize()));
                StoppedVms.prune(paths.vms(), live, StoppedVms.KEPT);
                writeState();
            } catch (RuntimeException e) {
                log.accept(Event.Note.warning(Event.Phase.DEPLOY, "supervisor: " + e.getMessage()));
            }
        }
    }

    /**
     * Measures an autoscaled service's CPU and scales it; a service whose range or target changed
     * gets a new scaler (its measurements and cool-downs start again).
     */
    private void scale(ServiceRuntime service) {
        String name = service.state().name();
        Optional<DesiredState.ScalingState> policy = service.state().autoscaling();
        CpuScaler scaler = scalers.get(name);
        if (policy.isEmpty() || scaler != null && !scaler.follows(policy.get())) {
            scalers.remove(name);
            scaler = null;
        }
        if (scaler == null && policy.isPresent()) {
            scaler = CpuScaler.of(policy.get(), timings.scaling()).orElse(null);
            if (scaler != null) {
                scalers.put(name, scaler);
            }
        }
        if (scaler != null) {
            scaler.pass(service, timings.clock(), log);
        }
    }

    private Set<Path> inUse() {
        Set<Path> dirs = new HashSet<>();
        services.values().forEach(s -> s.replicas().forEach(r -> dirs.add(r.vm().workDir().toAbsolutePath().normalize())));
        return dirs;
    }

    /** Services, replicas, their health and endpoints, as {@code i2kit status} shows them. */
    public Status status() {
        List<ServiceRuntime> snapshot;
        synchronized (services) {
            snapshot = List.copyOf(services.values());
        }
        List<Status.ServiceStatus> list = new ArrayList<>();
        boolean tls = false;
        for (ServiceRuntime s : snapshot) {
            List<Status.ReplicaStatus> replicas = s.replicas().stream().map(r -> new Status.ReplicaStatus(r.id(),
                    r.vm().pid(), r.vm().alive(), s.backend(r.id()).map(b -> b.state().name().toLowerCase(java.util.Locale.ROOT))
                            .orElse("unknown"), r.vm().workDir().toString())).toList();
            Map<Integer, String> endpoints = new LinkedHashMap<>();
            Map<Integer, String> protocols = new LinkedHashMap<>();
            s.balancer().ifPresent(lb -> lb.endpoints().forEach((port, endpoint) -> endpoints.put(port, endpoint.toString())));
            s.balancer().ifPresent(lb -> lb.protocols().forEach((port, protocol) -> protocols.put(port, protocol.lower())));
            if (s.balancer().map(LoadBalancer::terminatesTls).orElse(false)) {
                tls = true;
            }
            list.add(new Status.ServiceStatus(s.state().name(), s.state().image(), s.state().replicas(),
                    s.state().isPublic(), endpoints, replicas, scaling(s), protocols));
        }
        DesiredState current = desired;
        return new Status(current == null ? "" : current.application(), ProcessHandle.current().pid(), list,
                tls ? Optional.of(paths.ca().resolve(LocalCa.CERTIFICATE).toString()) : Optional.empty());
    }

    private Optional<Status.Scaling> scaling(ServiceRuntime s) {
        Optional<DesiredState.ScalingState> policy = s.state().autoscaling();
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        CpuScaler scaler = scalers.get(s.state().name());
        if (scaler != null && scaler.follows(policy.get())) {
            return Optional.of(scaler.status(s));
        }
        DesiredState.ScalingState p = policy.get();
        return Optional.of(p.cpuPercent().map(cpu -> new Status.Scaling(p.min(), p.max(), "cpu", cpu, s.state().replicas(),
                s.replicas().size(), Optional.empty(), "not measured yet")).orElseGet(() -> new Status.Scaling(p.min(),
                p.max(), "requests_per_target", p.requestsPerTarget().orElse(0), s.state().replicas(), s.replicas().size(),
                Optional.empty(), "not scaled locally (AWS only): kept at min")));
    }

    /** The status and what each service's VMs run, both the owner's only, each replaced whole. */
    private void writeState() {
        DesiredState current = desired;
        try {
            if (current != null) {
                List<DesiredState.ServiceState> running;
                synchronized (services) {
                    running = services.values().stream().map(ServiceRuntime::state).toList();
                }
                replace(paths.running(), new DesiredState(current.application(), current.zone(), accelerator, running).toJson());
            }
            replace(paths.state(), LocalJson.writeIndented(status()));
        } catch (IOException e) {
            log.accept(Event.Note.warning(Event.Phase.DEPLOY, "supervisor: cannot write the state in " + paths.root() + ": " + e.getMessage()));
        }
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public synchronized void close() {
        scheduler.shutdownNow();
        for (ServiceRuntime s : services.values()) {
            s.close();
        }
        services.clear();
    }

    private static Event.Note note(String service, String text) {
        return Event.Note.of(Event.Phase.DEPLOY, service, text);
    }
}
