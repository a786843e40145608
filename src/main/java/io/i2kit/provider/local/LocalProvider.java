package io.i2kit.provider.local;

import io.i2kit.build.OwnerOnly;
import io.i2kit.provider.Waiter;
import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.event.Event;
import io.i2kit.event.Events;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Release;
import io.i2kit.provider.Reports;
import io.i2kit.provider.local.vm.VmLauncher;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.BootMetadata;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Service;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.secret.LocalSecretStore;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.DiscoveryPlan;
import io.i2kit.provider.local.vm.GuestForward;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The local target: {@code up} hands the desired state to the application's supervisor (starting
 * one in the background when none runs), {@code status} and {@code down} ask it. Public services
 * listen on 127.0.0.1, on their manifest port when it is free, else on a port kept across updates.
 */
public final class LocalProvider implements Provider {
    private final I2kitHome home;

    public LocalProvider(I2kitHome home) {
        this.home = home;
    }

    @Override
    public Needs needs() {
        return new Needs(false);
    }

    /** For up: QEMU and its helpers, a forced accelerator that can work, and memory for every replica. */
    @Override
    public void check(Release release, Optional<UpOptions> up, Events events) {
        if (up.isEmpty()) {
            return; // a plan starts no VM
        }
        VmLauncher.requireTools();
        VmLauncher.requireAccelerator(mode(up.get()));
        requireMemory(release.discovery());
    }

    @Override
    public Reports.Plan plan(Release release, Events events) {
        // How VMs would run (KVM or TCG) is no part of the comparison: no probe here.
        return LocalReports.plan(plan(desired(release, Accelerator.TCG)));
    }

    @Override
    public Reports.Deployment up(Release release, UpOptions options, Events events) {
        DesiredState desired = desired(release, chooseAccelerator(mode(options), release.images(), events));
        if (options.foreground()) {
            Status last = ForegroundSupervisor.run(paths(release.application()), desired, events,
                    serving -> options.onServing().accept(deployment(serving)));
            return deployment(last);
        }
        return deployment(up(desired, events::emit));
    }

    private static Reports.Deployment deployment(Status status) {
        Reports.Status report = LocalReports.status(status);
        return new Reports.Deployment(List.of(), report, status);
    }

    @Override
    public Reports.Status status(String application, Events events) {
        return LocalReports.status(running(application));
    }

    private Status running(String application) {
        return status(application).orElseThrow(() -> new I2kitException("application " + application
                + " is not running locally; start it with: i2kit up"));
    }

    @Override
    public void logs(LogsRequest request, Consumer<Reports.LogLine> lines, Events events) {
        Status status = running(request.application());
        Status.ServiceStatus service = status.services().stream().filter(s -> s.name().equals(request.service()))
                .findFirst().orElseThrow(() -> new InvalidInputException("no service \"" + request.service()
                        + "\" in " + status.application()));
        new ConsoleTail().run(service.running(), request, lines);
    }

    @Override
    public Reports.Removal down(DownRequest request, Events events) {
        AppPaths paths = paths(request.application());
        boolean running = down(request.application(), events::emit);
        List<VolumeFiles.Found> volumes = request.deleteData() ? VolumeFiles.delete(paths) : VolumeFiles.list(paths);
        String verb = request.deleteData() ? "deleted" : "kept";
        for (VolumeFiles.Found v : volumes) {
            events.emit(Event.Note.info(Event.Phase.DEPLOY, verb + " volume " + v.name() + " (" + v.sizes() + ") at " + v.file()));
        }
        if (!volumes.isEmpty() && !request.deleteData()) {
            events.emit(Event.Note.info(Event.Phase.DEPLOY, "the next up takes these volumes again; "
                    + "i2kit down --delete-data deletes them"));
        }
        if (request.deleteData()) {
            deleteState(paths); // the application's directory too, unless secrets are kept in it
        }
        List<Reports.Change> removed = request.deleteData() ? volumes.stream()
                .map(v -> new Reports.Change("deleted volume", v.name(), v.sizes() + " at " + v.file())).toList() : List.of();
        return new Reports.Removal(request.application(), running, removed, java.util.Map.of(
                "application", request.application(), "running", running,
                request.deleteData() ? "deletedVolumes" : "keptVolumes", volumes.stream().map(v -> java.util.Map.of(
                        "name", v.name(), "path", v.file().toString(), "sizeBytes", v.size(), "usedBytes", v.used())).toList()));
    }

    private static Accelerator.Mode mode(UpOptions options) {
        return Accelerator.Mode.parse(options.accelerator()).orElseThrow(() -> new InvalidInputException(
                "--accel (or I2KIT_ACCEL): expected auto, kvm or tcg, found \"" + options.accelerator() + "\""));
    }

    /** Probes KVM with the images' kernel (cached per host boot); says in one line why it falls back to TCG. */
    private Accelerator chooseAccelerator(Accelerator.Mode mode, Map<String, BuiltImage> images, Events events) {
        BuiltImage any = images.values().iterator().next();
        Accelerator.Choice choice = VmLauncher.create().chooseAccelerator(mode, any.kernel(), Optional.of(home.root()));
        choice.reason().ifPresent(why -> events.emit(Event.Note.warning(Event.Phase.DEPLOY,
                "using TCG (software emulation, slower boots): " + why)));
        return choice.accelerator();
    }

    /** Refuses to start more replicas than this machine's available memory holds. */
    private static void requireMemory(Discovery discovery) {
        long needed = discovery.application().services().stream()
                .mapToLong(s -> (long) s.replicas() * s.resources().memoryMiB()).sum();
        long available = availableMiB();
        if (available > 0 && needed > available * 9 / 10) {
            throw new I2kitException("the application needs " + needed + " MiB for its VMs (replicas x memory) but this "
                    + "machine has " + available + " MiB available; lower replicas or resources.memory");
        }
    }

    private static long availableMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }


    public AppPaths paths(String application) {
        return AppPaths.of(home, application);
    }

    /** What {@code up} asks the supervisor to run, from a release: its VMs told the versions of their secrets. */
    public DesiredState desired(Release release, Accelerator accelerator) {
        return desired(release.discovery(), release.images(), release::secrets, accelerator);
    }

    /** What {@code up} asks the supervisor to run, from the validated application and its built images. */
    public DesiredState desired(Discovery discovery, Map<String, BuiltImage> images, Accelerator accelerator) {
        return desired(discovery, images, service -> List.of(), accelerator);
    }

    private DesiredState desired(Discovery discovery, Map<String, BuiltImage> images,
                                 java.util.function.Function<String, List<BootMetadata.SecretVersion>> secrets,
                                 Accelerator accelerator) {
        String app = discovery.application().name();
        AppPaths paths = paths(app);
        Optional<DesiredState> previous = lastRunning(paths);
        List<DesiredState.ServiceState> services = new ArrayList<>();
        for (Service s : discovery.application().services()) {
            BuiltImage image = images.get(s.name());
            // Every balancer has a socket for the VMs: theirs is a network namespace without the host's loopback.
            DiscoveryPlan plan = DiscoveryPlan.of(discovery, s.name(),
                    (other, lbPort) -> new GuestForward.UnixSocket(socket(paths, other, lbPort)))
                    .withSecrets(secrets.apply(s.name()));
            List<DesiredState.PortState> ports = s.ports().stream().map(p -> new DesiredState.PortState(
                    p.lbProtocol(), p.lbPort(), p.instancePort(), s.isPublic()
                            ? publicPort(s.name(), p.lbPort(), previous) : Endpoint.unix(socket(paths, s.name(), p.lbPort())),
                    socket(paths, s.name(), p.lbPort()), p.instanceProtocol(),
                    s.redirectTarget(p).map(Port::lbPort))).toList();
            services.add(new DesiredState.ServiceState(s.name(), image.digest().toString(), image.kernel(),
                    image.initrd(), image.cmdline(), s.replicas(), s.resources().memoryMiB(), s.resources().cpus(),
                    s.isPublic(), ports, s.health(), plan.forwards(), plan.metadata().toJson(),
                    s.volumes().stream().map(v -> new DesiredState.VolumeState(v.name(), v.sizeBytes())).toList(),
                    s.autoscaling().map(a -> new DesiredState.ScalingState(a.min(), a.max(), a.cpuPercent(),
                            a.requestsPerTarget())),
                    s.hostname()));
        }
        return new DesiredState(app, discovery.application().zone(), accelerator, services);
    }

    private static Path socket(AppPaths paths, String service, int lbPort) {
        return paths.sockets().resolve(service + "-" + lbPort + ".sock");
    }

    /**
     * The host port a public port asks for: the one its balancer had before (so an endpoint survives
     * updates and a supervisor's crash), else the manifest's. The supervisor binds it, or a free port
     * when it is taken: only it knows which ports its own balancers hold.
     */
    private static Endpoint publicPort(String service, int lbPort, Optional<DesiredState> previous) {
        return previous.flatMap(last -> last.service(service)).stream().flatMap(s -> s.ports().stream())
                .filter(p -> p.lbPort() == lbPort).map(DesiredState.PortState::listen)
                .filter(listen -> listen instanceof Endpoint.Tcp).findFirst().orElse(Endpoint.tcp(lbPort));
    }

    /** What the application's supervisor, running or ended, last recorded running: the ports its balancers bound. */
    private static Optional<DesiredState> lastRunning(AppPaths paths) {
        try {
            return Files.isRegularFile(paths.running())
                    ? Optional.of(DesiredState.fromJson(Files.readString(paths.running()))) : Optional.empty();
        } catch (IOException | I2kitException e) {
            return Optional.empty(); // unreadable: ask for the manifest's ports
        }
    }

    /**
     * Applies {@code desired} through the application's supervisor, starting one first when none
     * serves. Two {@code up}s at once take turns at the start lock, so only one supervisor starts; a
     * new supervisor adopts the VMs a crashed one left, so nothing restarts.
     */
    public Status up(DesiredState desired, Consumer<Event.Note> progress) {
        AppPaths paths = paths(desired.application());
        try {
            // read by the supervisor this up may start: wrong values fail here, where the user sees them
            io.i2kit.provider.local.scaling.ScalingTimings.from(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new io.i2kit.InvalidInputException(e.getMessage());
        }
        if (!ControlChannel.reachable(paths.control())) {
            try (var start = SupervisorProcess.awaitStartLock(paths, progress)) {
                if (!ControlChannel.reachable(paths.control())) {
                    if (SupervisorProcess.held(paths)) {
                        progress.accept(Event.Note.info(Event.Phase.DEPLOY, "the supervisor of " + desired.application() + " is starting; waiting for it"));
                    } else {
                        startSupervisor(paths, progress);
                    }
                    awaitServing(paths);
                }
            } catch (IOException e) {
                throw new I2kitException("cannot release the start lock " + paths.startLock() + ": " + e.getMessage(), e);
            }
        }
        return ControlChannel.apply(paths.control(), desired, progress);
    }

    /** What {@code up} of {@code desired} would change, by the comparison {@code up} makes. */
    public LocalPlan plan(DesiredState desired) {
        return LocalPlan.of(desired, LocalPlan.running(paths(desired.application())));
    }

    public Optional<Status> status(String application) {
        AppPaths paths = paths(application);
        if (!ControlChannel.reachable(paths.control())) {
            return Optional.empty();
        }
        return Optional.of(ControlChannel.status(paths.control()));
    }

    /**
     * Stops every VM and supervisor of the application, whatever state it finds them in (a
     * supervisor that answers, one that hangs or crashed, VMs nobody owns), then removes the state
     * but not the volumes ({@link AppPaths#volumes}).
     * Only processes i2kit started are signalled: supervisors by their command line or by a pid file
     * whose start time matches, VMs by the console file in their own work directory.
     */
    public boolean down(String application, Consumer<Event.Note> progress) {
        AppPaths paths = paths(application);
        boolean running = ControlChannel.reachable(paths.control());
        // Found before asking it to stop: it removes its pid file on the way out.
        Set<ProcessHandle> supervisors = new LinkedHashSet<>(SupervisorProcess.background(paths));
        SupervisorProcess.running(paths).ifPresent(supervisors::add);
        if (running) {
            progress.accept(Event.Note.info(Event.Phase.DEPLOY, "stopping the VMs and load balancers of " + application));
            try {
                ControlChannel.down(paths.control(), progress);
            } catch (I2kitException e) {
                progress.accept(Event.Note.info(Event.Phase.DEPLOY, "the supervisor did not stop cleanly (" + e.getMessage() + "); stopping it"));
            }
        }
        supervisors.addAll(SupervisorProcess.background(paths));
        for (ProcessHandle p : supervisors) {
            if (p.isAlive()) {
                SupervisorProcess.stop(p, Duration.ofSeconds(20));
            }
        }
        // by their command lines, not their pid files: a VM started just before its supervisor died has none
        for (var vm : io.i2kit.provider.local.vm.QemuVm.runningIn(paths.vms())) {
            progress.accept(Event.Note.info(Event.Phase.DEPLOY, "stopping " + vm.name() + ", left running by a supervisor that ended"));
            vm.stop(Duration.ofSeconds(2));
        }
        keptSecrets(paths).ifPresent(note -> progress.accept(Event.Note.info(Event.Phase.DEPLOY, note)));
        deleteState(paths);
        return running;
    }

    /**
     * Everything of the application's directory but its volumes, which only {@code --delete-data}
     * removes, and its secrets, which outlive {@code down} as SSM parameters do on AWS.
     */
    private static void deleteState(AppPaths paths) {
        if (!Files.isDirectory(paths.root())) {
            return;
        }
        try (var entries = Files.list(paths.root())) {
            for (Path p : entries.filter(p -> !p.equals(paths.volumes()) && !p.equals(paths.secrets())).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new I2kitException("cannot remove the state " + paths.root() + ": " + e.getMessage(), e);
        }
        try {
            Files.deleteIfExists(paths.root()); // only when no volume or secret is left in it
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // the volumes and secrets stay
        } catch (IOException e) {
            throw new I2kitException("cannot remove the state " + paths.root() + ": " + e.getMessage(), e);
        }
    }

    /** The secrets {@code down} keeps: the next up finds them. */
    private static Optional<String> keptSecrets(AppPaths paths) {
        int count;
        try {
            count = new LocalSecretStore(paths.secrets()).list().size();
        } catch (I2kitException e) {
            return Optional.empty(); // only a note: down goes on
        }
        return count == 0 ? Optional.empty() : Optional.of("kept " + count + (count == 1 ? " secret" : " secrets")
                + " in " + paths.secrets() + " (i2kit secret rm removes one)");
    }

    /** Removes {@code root} and everything under it; nothing when it does not exist. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new I2kitException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@link SupervisorMain} as its own session (setsid), so it outlives this command and
     * the terminal, with its output in the state directory.
     */
    private static void startSupervisor(AppPaths paths, Consumer<Event.Note> progress) {
        try {
            paths.create();
            String java = ProcessHandle.current().info().command().orElse("java");
            // The supervisor runs from its own copy of the jar: a rebuild of i2kit while it runs
            // would otherwise pull classes from under it.
            Path jar = paths.root().resolve("i2kit.jar");
            Path tmp = paths.root().resolve("i2kit.jar.tmp");
            Files.copy(Path.of(LocalProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()), tmp,
                    StandardCopyOption.REPLACE_EXISTING);
            OwnerOnly.file(tmp); // the copy takes the source's mode
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.accept(Event.Note.info(Event.Phase.DEPLOY, "starting the supervisor of " + paths.root().getFileName() + " (log: " + paths.log() + ")"));
            // umask 077: whatever the supervisor and its VMs write is the owner's only; the log is
            // created here, by this process, so its mode is set here too.
            OwnerOnly.create(paths.log());
            new ProcessBuilder("sh", "-c", "umask 077 && exec setsid \"$@\"", "i2kit-supervise", java, "-Xmx256m",
                    "-cp", jar.toString(), SupervisorMain.class.getName(), SupervisorMain.ARGUMENT, "--state",
                    paths.root().toAbsolutePath().normalize().toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(paths.log().toFile()))
                    .start();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new I2kitException("cannot start the supervisor: " + e.getMessage(), e);
        }
    }

    private static void awaitServing(AppPaths paths) {
        Waiter.Outcome<Boolean> started = new Waiter(Duration.ofSeconds(30), Duration.ofMillis(500)).await(() ->
                ControlChannel.reachable(paths.control()) ? Waiter.Outcome.done(true) : Waiter.Outcome.retry("not serving yet"));
        if (started.state() != Waiter.Outcome.State.DONE) {
            throw new I2kitException("the supervisor did not start within 30 s; its log " + paths.log() + " ends with:\n"
                    + tail(paths.log(), 15));
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
