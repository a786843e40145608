package io.i2kit.provider.local;

import io.i2kit.provider.Waiter;
import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.I2kitException;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Health;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Service;
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
public final class LocalProvider {
    private final I2kitHome home;

    public LocalProvider(I2kitHome home) {
        this.home = home;
    }

    public AppPaths paths(String application) {
        return AppPaths.of(home, application);
    }

    /** What {@code up} asks the supervisor to run, from the validated application and its built images. */
    public DesiredState desired(Discovery discovery, Map<String, BuiltImage> images, Accelerator accelerator) {
        String app = discovery.application().name();
        AppPaths paths = paths(app);
        Optional<Status> previous = lastStatus(app);
        Map<String, Map<Integer, String>> listen = new java.util.LinkedHashMap<>();
        for (Service s : discovery.application().services()) {
            Map<Integer, String> ports = new java.util.LinkedHashMap<>();
            for (Port p : s.ports()) {
                ports.put(p.lbPort(), s.isPublic()
                        ? "tcp:" + publicPort(s.name(), p.lbPort(), previous)
                        : "unix:" + socket(paths, s.name(), p.lbPort()));
            }
            listen.put(s.name(), ports);
        }
        List<DesiredState.ServiceState> services = new ArrayList<>();
        for (Service s : discovery.application().services()) {
            BuiltImage image = images.get(s.name());
            // Every balancer has a socket for the VMs: theirs is a network namespace without the host's loopback.
            DiscoveryPlan plan = DiscoveryPlan.of(discovery, s.name(),
                    (other, lbPort) -> new GuestForward.UnixSocket(socket(paths, other, lbPort)));
            List<DesiredState.ForwardState> forwards = plan.forwards().stream().map(f -> new DesiredState.ForwardState(
                    f.guestIp(), f.guestPort(), ((GuestForward.UnixSocket) f.target()).path().toString())).toList();
            List<DesiredState.PortState> ports = s.ports().stream().map(p -> new DesiredState.PortState(
                    p.lbProtocol().lower(), p.lbPort(), p.instancePort(), listen.get(s.name()).get(p.lbPort()),
                    socket(paths, s.name(), p.lbPort()).toString())).toList();
            services.add(new DesiredState.ServiceState(s.name(), image.digest().toString(), image.kernel().toString(),
                    image.initrd().toString(), image.cmdline(), s.replicas(), s.resources().memoryMiB(), s.resources().cpus(),
                    s.isPublic(), ports, s.health().map(LocalProvider::health).orElse(null), forwards,
                    plan.metadata().toJson()));
        }
        return new DesiredState(app, discovery.application().zone(), accelerator, services);
    }

    private static Path socket(AppPaths paths, String service, int lbPort) {
        return paths.sockets().resolve(service + "-" + lbPort + ".sock");
    }

    /**
     * The host port a public port asks for: the one it had before (so an endpoint survives updates
     * and a supervisor's crash), else the manifest's. The supervisor binds it, or a free port when it
     * is taken: only it knows which ports its own balancers hold.
     */
    private static int publicPort(String service, int lbPort, Optional<Status> previous) {
        return previous.flatMap(st -> st.services().stream().filter(s -> s.name().equals(service)).findFirst())
                .map(s -> s.endpoints().get(lbPort)).filter(e -> e != null && e.startsWith("127.0.0.1:"))
                .map(e -> Integer.parseInt(e.substring("127.0.0.1:".length()))).orElse(lbPort);
    }

    /** The status the supervisor gives, or the one a supervisor that ended left in its state file. */
    private Optional<Status> lastStatus(String application) {
        Optional<Status> live = status(application);
        Path file = paths(application).state();
        if (live.isPresent() || !Files.isRegularFile(file)) {
            return live;
        }
        try {
            return Optional.of(ControlChannel.JSON.readValue(file.toFile(), Status.class));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: ask for the manifest's ports
        }
    }

    private static DesiredState.HealthState health(Health h) {
        return new DesiredState.HealthState(h.protocol().name().toLowerCase(java.util.Locale.ROOT), h.port(), h.path(),
                h.interval().toMillis(), h.timeout().toMillis(), h.healthyThreshold(), h.unhealthyThreshold(),
                h.gracePeriod().toMillis());
    }

    /**
     * Applies {@code desired} through the application's supervisor, starting one first when none
     * serves. Two {@code up}s at once take turns at the start lock, so only one supervisor starts; a
     * new supervisor adopts the VMs a crashed one left, so nothing restarts.
     */
    public Status up(DesiredState desired, Consumer<String> progress) {
        AppPaths paths = paths(desired.application());
        if (!ControlChannel.reachable(paths.control())) {
            try (var start = SupervisorProcess.awaitStartLock(paths, progress)) {
                if (!ControlChannel.reachable(paths.control())) {
                    if (SupervisorProcess.held(paths)) {
                        progress.accept("the supervisor of " + desired.application() + " is starting; waiting for it");
                    } else {
                        startSupervisor(paths, progress);
                    }
                    awaitServing(paths);
                }
            } catch (IOException e) {
                throw new I2kitException("cannot release the start lock " + paths.startLock() + ": " + e.getMessage(), e);
            }
        }
        var request = ControlChannel.request("apply");
        request.set("state", ControlChannel.JSON.valueToTree(desired));
        JsonNode done = ControlChannel.send(paths.control(), request, progress);
        if (!done.path("ok").asBoolean()) {
            throw new I2kitException(done.path("message").asText());
        }
        return ControlChannel.JSON.convertValue(done.path("status"), Status.class);
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
        JsonNode done = ControlChannel.send(paths.control(), ControlChannel.request("status"), m -> { });
        return Optional.of(ControlChannel.JSON.convertValue(done.path("status"), Status.class));
    }

    /**
     * Stops every VM and supervisor of the application, whatever state it finds them in (a
     * supervisor that answers, one that hangs or crashed, VMs nobody owns), then removes the state.
     * Only processes i2kit started are signalled: supervisors by their command line or by a pid file
     * whose start time matches, VMs by the console file in their own work directory.
     */
    public boolean down(String application, Consumer<String> progress) {
        AppPaths paths = paths(application);
        boolean running = ControlChannel.reachable(paths.control());
        // Found before asking it to stop: it removes its pid file on the way out.
        Set<ProcessHandle> supervisors = new LinkedHashSet<>(SupervisorProcess.background(paths));
        SupervisorProcess.running(paths).ifPresent(supervisors::add);
        if (running) {
            progress.accept("stopping the VMs and load balancers of " + application);
            try {
                ControlChannel.send(paths.control(), ControlChannel.request("down"), progress);
            } catch (I2kitException e) {
                progress.accept("the supervisor did not stop cleanly (" + e.getMessage() + "); stopping it");
            }
        }
        supervisors.addAll(SupervisorProcess.background(paths));
        for (ProcessHandle p : supervisors) {
            if (p.isAlive()) {
                SupervisorProcess.stop(p, Duration.ofSeconds(20));
            }
        }
        if (Files.isDirectory(paths.vms())) {
            try (var dirs = Files.list(paths.vms())) {
                for (Path dir : dirs.sorted().toList()) {
                    io.i2kit.provider.local.vm.QemuVm.adopt(dir).ifPresent(vm -> {
                        progress.accept("stopping " + vm.name() + ", left running by a supervisor that ended");
                        vm.stop(Duration.ofSeconds(2));
                    });
                }
            } catch (IOException e) {
                throw new I2kitException("cannot list the VMs in " + paths.vms() + ": " + e.getMessage(), e);
            }
        }
        deleteTree(paths.root());
        return running;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new I2kitException("cannot remove the state " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@link SupervisorMain} as its own session (setsid), so it outlives this command and
     * the terminal, with its output in the state directory.
     */
    private static void startSupervisor(AppPaths paths, Consumer<String> progress) {
        try {
            Files.createDirectories(paths.root());
            String java = ProcessHandle.current().info().command().orElse("java");
            // The supervisor runs from its own copy of the jar: a rebuild of i2kit while it runs
            // would otherwise pull classes from under it.
            Path jar = paths.root().resolve("i2kit.jar");
            Path tmp = paths.root().resolve("i2kit.jar.tmp");
            Files.copy(Path.of(LocalProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()), tmp,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.accept("starting the supervisor of " + paths.root().getFileName() + " (log: " + paths.log() + ")");
            // umask 077: whatever the supervisor and its VMs write is the owner's only.
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
