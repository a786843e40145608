package io.i2kit.provider.local;

import io.i2kit.event.Event;
import io.i2kit.manifest.Health;
import io.i2kit.oci.Digest;
import io.i2kit.provider.local.DesiredState.ServiceState;
import io.i2kit.provider.local.lb.BackendState;
import io.i2kit.provider.local.lb.BackendStatus;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.lb.LoadBalancer;
import io.i2kit.provider.local.lb.LoadBalancerListener;
import io.i2kit.provider.local.tls.LocalCa;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.Hypervisor;
import io.i2kit.provider.local.vm.Vm;
import io.i2kit.provider.local.vm.VmSpec;
import io.i2kit.secret.LocalSecretStore;
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
    private static final java.util.regex.Pattern REPLICA_ID = java.util.regex.Pattern.compile(".+-g(\\d+)-r(\\d+)");

    private final AppPaths paths;
    private final Hypervisor hypervisor;
    private final Timings timings;
    private final ReplicaWaiter waiter;
    private final Supplier<Accelerator> accelerator;
    private ServiceState state;
    /** Empty for a service without ports (a worker): nothing to balance or check. */
    private final Optional<LoadBalancer> balancer;
    /** The state the balancer was made for: its certificate names and redirects stay those. */
    private final ServiceState balancerMadeFor;
    private final List<Replica> replicas = new ArrayList<>();
    private int generation;
    private int nextReplica;
    private int failures;
    private Instant nextAttempt = Instant.MIN;

    ServiceRuntime(AppPaths paths, Hypervisor hypervisor, Timings timings, ServiceState state,
                   ScheduledExecutorService scheduler, LoadBalancerListener events, Supplier<Accelerator> accelerator) {
        this.paths = paths;
        this.hypervisor = hypervisor;
        this.timings = timings;
        this.waiter = new ReplicaWaiter(timings);
        this.accelerator = accelerator;
        this.balancerMadeFor = state;
        this.balancer = BalancerTranslator.config(state, paths.root().getFileName().toString(),
                () -> LocalCa.openOrCreate(paths.ca())).map(config -> LoadBalancer.open(config, scheduler, events));
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
        return desired.withPorts(desired.ports().stream().map(p -> p.listen() instanceof Endpoint.Tcp
                && endpoints.get(p.lbPort()) instanceof Endpoint.Tcp tcp ? p.withListen(tcp) : p).toList());
    }

    ServiceState state() {
        return state;
    }

    Optional<LoadBalancer> balancer() {
        return balancer;
    }

    /** Whether the running balancer already serves {@code next}'s hostname and redirects. */
    boolean balancerServes(ServiceState next) {
        return BalancerTranslator.sameFronts(balancerMadeFor, next);
    }

    synchronized List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** Where the service stands: what its VMs run and their generation, for a rollback to return to. */
    record Checkpoint(ServiceState state, int generation) {
    }

    synchronized Checkpoint checkpoint() {
        return new Checkpoint(state, generation);
    }

    /** Whether the service runs what {@code at} recorded, on as many VMs, all of its generation. */
    boolean standsAt(Checkpoint at) {
        List<Replica> now = replicas();
        return state.sameVmAs(at.state()) && now.size() == at.state().replicas()
                && now.stream().allMatch(r -> r.generation() == at.generation());
    }

    /**
     * Brings the service to {@code desired}: new VMs (of the new version) one at a time, each
     * waited for until healthy, then one old VM drained and stopped. If a new VM never becomes
     * healthy, or {@code abandon} names a reason to stop (another service's rollout failed), the
     * VMs not yet in service are stopped and the error thrown: the new ones in service and the old
     * ones left keep serving, a mix that {@link #rollBack} undoes without losing capacity.
     */
    void rollTo(ServiceState desired, Consumer<Event.Note> progress, Supplier<Optional<String>> abandon) {
        boolean newVersion = !desired.sameVmAs(state);
        roll(desired, newVersion || generation == 0 ? generation + 1 : generation, progress, abandon);
    }

    /**
     * Brings the service back to {@code to} the way it rolls forward: VMs of that version, under its
     * generation, started one at a time beside the others, each of those stopped once one is healthy.
     */
    void rollBack(Checkpoint to, Consumer<Event.Note> progress) {
        // A service that had no VM yet (taken over with none alive) had no generation: it gets a new one.
        int gen = to.generation() > 0 ? to.generation()
                : 1 + replicas().stream().mapToInt(Replica::generation).reduce(generation(), Math::max);
        roll(to.state(), gen, progress, () -> Optional.empty());
    }

    /**
     * One generation is one version (a rollback reuses the generation it returns to), so the VMs
     * of generation {@code gen} are kept and the others replaced.
     */
    private void roll(ServiceState desired, int gen, Consumer<Event.Note> progress, Supplier<Optional<String>> abandon) {
        List<Replica> old = new ArrayList<>(replicas().stream().filter(r -> r.generation() != gen).toList());
        int keep = replicas().size() - old.size();
        List<Replica> pending = new ArrayList<>();
        try {
            if (old.isEmpty()) {
                // Nothing serves yet (or only more replicas are wanted): start them all at once.
                for (int i = keep; i < desired.replicas(); i++) {
                    checkAbandon(abandon);
                    pending.add(start(desired, gen, progress));
                }
                for (Replica r : List.copyOf(pending)) {
                    awaitHealthy(desired, r, progress, abandon);
                    pending.remove(r);
                }
            } else if (desired.stateful()) {
                // A replica's volume is never on two VMs: its old VM stops before the new one starts
                // on the same disk (the new one takes the lowest free replica number, the old one's).
                // The service is short of that replica meanwhile: plan and up say it has downtime.
                for (int i = keep; i < desired.replicas(); i++) {
                    checkAbandon(abandon);
                    long down = System.nanoTime();
                    Optional<Replica> replaced = old.isEmpty() ? Optional.empty() : Optional.of(old.remove(0));
                    replaced.ifPresent(o -> stop(o, progress));
                    Replica r = start(desired, gen, progress);
                    pending.add(r);
                    awaitHealthy(desired, r, progress, abandon);
                    pending.remove(r);
                    replaced.ifPresent(o -> progress.accept(note(desired.name(), "downtime of replica r" + slot(r) + ": "
                            + String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - down) / 1e9)
                            + " s from stopping " + o.id() + " to " + r.id() + " " + (desired.health().isPresent()
                            && balancer.isPresent() ? "healthy" : "started"))));
                }
            } else {
                // An update keeps capacity: one new VM healthy and in service, then one old one out
                // (while any is left: an update may also ask for more replicas).
                for (int i = keep; i < desired.replicas(); i++) {
                    checkAbandon(abandon);
                    Replica r = start(desired, gen, progress);
                    pending.add(r);
                    awaitHealthy(desired, r, progress, abandon);
                    pending.remove(r);
                    if (!old.isEmpty()) {
                        stop(old.remove(0), progress);
                    }
                }
            }
            for (Replica r : old) {
                stop(r, progress);
            }
            while (replicas().size() > desired.replicas()) {
                Replica extra = replicas().get(replicas().size() - 1);
                stop(extra, progress);
                if (desired.stateful()) {
                    progress.accept(note(desired.name(), "kept the volumes of " + extra.id() + " in "
                            + paths.volumes().resolve(desired.name()).resolve("r" + slot(extra))
                            + ": a replica that comes back takes them again (i2kit down --delete-data removes them)"));
                }
            }
            synchronized (this) {
                state = bound(desired);
                generation = gen;
            }
        } catch (RuntimeException e) {
            for (Replica r : pending) {
                stop(r, progress);
            }
            throw e;
        }
    }

    /** The ids of the VMs that run now, for a report: {@code web-g1-r0, web-g2-r2}. */
    String running() {
        List<Replica> now = replicas();
        return now.isEmpty() ? "no VM" : String.join(", ", now.stream().map(Replica::id).toList());
    }

    /** The generation the service's VMs run (or will, for a first rollout). */
    synchronized int generation() {
        return generation;
    }

    /**
     * A stateful replica's number, which names its volumes: the lowest no running VM has, so that a
     * replacement (update or healing) takes the disks of the VM it replaces, and r0 stays r0.
     */
    private synchronized int freeSlot() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        replicas.forEach(r -> used.add(slot(r)));
        int slot = 0;
        while (used.contains(slot)) {
            slot++;
        }
        return slot;
    }

    /** The replica number in a VM's id ({@code db-g2-r0}: 0). */
    static int slot(Replica r) {
        java.util.regex.Matcher m = REPLICA_ID.matcher(r.id());
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    private static void checkAbandon(Supplier<Optional<String>> abandon) {
        Optional<String> why = abandon.get();
        if (why.isPresent()) {
            throw new RolloutAbandoned(why.get());
        }
    }

    private Replica start(ServiceState s, int gen, Consumer<Event.Note> progress) {
        int index = s.stateful() ? freeSlot() : nextReplica++;
        String id = s.name() + "-g" + gen + "-r" + index;
        Path dir = paths.vm(s.name(), gen, index);
        List<Integer> exposed = new ArrayList<>(s.ports().stream().map(DesiredState.PortState::instancePort).distinct().toList());
        s.health().map(Health::port).filter(port -> !exposed.contains(port)).ifPresent(exposed::add);
        List<VmSpec.Disk> disks = VolumeFiles.disks(paths, s, index, note -> progress.accept(note(s.name(), note)));
        Optional<Path> secrets = SecretDelivery.write(s.metadata(), new LocalSecretStore(paths.secrets()), dir, s.name(),
                progress);
        VmSpec spec = new VmSpec(id, s.kernel(), s.initrd(), s.cmdline(), s.memoryMiB(), s.cpus(), exposed, s.forwards(),
                Optional.of(s.metadata()), dir, accelerator.get(), disks, secrets);
        progress.accept(note(s.name(), "starting " + id + " (" + Digest.shortForm(s.image()) + ")"));
        Vm vm;
        try {
            vm = hypervisor.start(spec);
        } finally {
            // QEMU read the values as it started: from now on they are in its memory only
            secrets.ifPresent(f -> SecretDelivery.remove(dir));
        }
        Replica r = new Replica(id, gen, vm, Instant.now(timings.clock()));
        synchronized (this) {
            replicas.add(r);
        }
        balancer.ifPresent(b -> b.addBackend(BalancerTranslator.backend(id, vm)));
        return r;
    }

    /**
     * Waits until the new replica passes its health check and its balancer took it in (a worker, with
     * neither, at once); fails when its VM exits, stays silent or the wait runs out.
     */
    private void awaitHealthy(ServiceState s, Replica r, Consumer<Event.Note> progress, Supplier<Optional<String>> abandon) {
        if (s.health().isEmpty() || balancer.isEmpty()) {
            return; // a worker: no load balancer traffic, nothing to check
        }
        waiter.await(r, BalancerTranslator.backend(r.id(), r.vm()), s.health().get(), balancer.get(), abandon);
        progress.accept(note(s.name(), r.id() + " is healthy and in the load balancer"));
    }

    Optional<BackendStatus> backend(String id) {
        return balancer.flatMap(lb -> lb.backends().stream().filter(b -> b.id().equals(id)).findFirst());
    }

    /** Drains a replica from the balancer, then stops its VM. */
    void stop(Replica r, Consumer<Event.Note> progress) {
        try {
            if (balancer.isPresent()) {
                balancer.get().drain(r.id(), timings.drain());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.vm().stop(timings.stopGrace());
        synchronized (this) {
            replicas.remove(r);
        }
        progress.accept(note(state.name(), "stopped " + r.id()));
    }

    /**
     * Replaces a replica whose VM exited or that failed its health checks. A replacement that fails
     * is stopped too, leaving the service short: {@link #fillUp} retries it with back-off.
     */
    void replace(Replica dead, String why, Consumer<Event.Note> progress) {
        progress.accept(note(state.name(), dead.id() + " " + why + "; replacing it"));
        stop(dead, progress);
        fillUp(progress);
    }

    /** Whether the service runs fewer VMs than it should and its back-off allows another try now. */
    synchronized boolean belowCount() {
        return replicas.size() < state.replicas() && !Instant.now(timings.clock()).isBefore(nextAttempt);
    }

    /**
     * Starts the VMs the service lacks (all at once, as a scaling group launches them) and waits
     * until they are healthy. One that fails is stopped, and the wait before the next try doubles
     * (2 s up to 2 min, see {@link Timings}), so a broken image is not restarted in a tight loop,
     * and a service never stays short while it could start VMs.
     */
    void fillUp(Consumer<Event.Note> progress) {
        int missing;
        synchronized (this) {
            missing = state.replicas() - replicas.size();
        }
        List<Replica> started = new ArrayList<>();
        String failed = null;
        try {
            for (int i = 0; i < missing; i++) {
                started.add(start(state, Math.max(1, generation), progress));
            }
        } catch (RuntimeException e) {
            // QEMU may fail to start at all (a missing kernel, no memory): that too waits its turn.
            failed = "replacement VM failed (" + e.getMessage() + ")";
        }
        for (Replica r : started) {
            try {
                awaitHealthy(state, r, progress, () -> Optional.empty());
            } catch (RuntimeException e) {
                stop(r, progress);
                failed = failed != null ? failed : "replacement " + r.id() + " failed (" + e.getMessage() + ")";
            }
        }
        Duration wait;
        synchronized (this) {
            if (failed == null) {
                failures = 0;
                nextAttempt = Instant.MIN;
                return;
            }
            failures++;
            wait = timings.backoff(failures);
            nextAttempt = Instant.now(timings.clock()).plus(wait);
        }
        progress.accept(note(state.name(), failed + "; next try in " + wait.toSeconds() + " s"));
    }

    /**
     * Keeps {@code count} VMs from now on: starts the missing ones ({@link #fillUp}), or drains and
     * stops the newest ones beyond it.
     */
    void scaleTo(int count, Consumer<Event.Note> progress) {
        synchronized (this) {
            state = state.withReplicas(count);
        }
        if (replicas().size() < count) {
            fillUp(progress);
        }
        List<Replica> now = replicas();
        for (int i = now.size() - 1; i >= count; i--) {
            stop(now.get(i), progress);
        }
    }

    /** Whether the service runs exactly the VMs it should: no replica missing, none being replaced. */
    synchronized boolean atCount() {
        return replicas.size() == state.replicas();
    }

    /**
     * The CPU time of each replica in service (healthy in its balancer, or alive for a worker):
     * what the autoscaler measures. A replica that boots or drains is not load.
     */
    Map<String, Duration> cpuInService() {
        Map<String, Duration> cpu = new java.util.LinkedHashMap<>();
        for (Replica r : replicas()) {
            boolean serving = balancer.isEmpty() ? r.vm().alive()
                    : backend(r.id()).map(b -> b.state() == BackendState.HEALTHY).orElse(false);
            if (serving) {
                r.vm().cpuTime().ifPresent(t -> cpu.put(r.id(), t));
            }
        }
        return cpu;
    }

    /**
     * Takes over the VMs a previous supervisor left running (found by their work directories and
     * checked to be their QEMU), putting them behind this balancer without restarting them.
     */
    void adopt(List<Path> workDirs, Consumer<Event.Note> progress) {
        for (Path dir : workDirs) {
            Optional<Vm> vm = hypervisor.adopt(dir);
            java.util.regex.Matcher m = REPLICA_ID.matcher(dir.getFileName().toString());
            if (vm.isEmpty() || !m.matches()) {
                continue;
            }
            String id = dir.getFileName().toString();
            Replica r = new Replica(id, Integer.parseInt(m.group(1)), vm.get(),
                    vm.get().startedAt().orElse(Instant.now(timings.clock())));
            synchronized (this) {
                replicas.add(r);
                generation = Math.max(generation, r.generation());
                nextReplica = Math.max(nextReplica, Integer.parseInt(m.group(2)) + 1);
            }
            balancer.ifPresent(b -> b.addBackend(BalancerTranslator.backend(id, vm.get())));
            progress.accept(note(state.name(), "adopted " + id + " (pid " + vm.get().pid() + "), left running"));
        }
    }

    @Override
    public void close() {
        for (Replica r : replicas()) {
            r.vm().stop(Duration.ofSeconds(2)); // shutting down: no time for a graceful exit of each
        }
        synchronized (this) {
            replicas.clear();
        }
        balancer.ifPresent(LoadBalancer::close);
    }

    private static Event.Note note(String service, String text) {
        return Event.Note.of(Event.Phase.DEPLOY, service, text);
    }
}
