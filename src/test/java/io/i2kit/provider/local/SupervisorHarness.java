package io.i2kit.provider.local;

import io.i2kit.manifest.Health;
import io.i2kit.manifest.Protocol;
import io.i2kit.provider.Waiter;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.scaling.ScalingTimings;
import io.i2kit.provider.local.vm.Accelerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A supervisor on {@link FakeHypervisor} with timings for tests, a clock that moves only when told,
 * its log kept, and an application of one private service, {@code web}, to apply to it.
 */
final class SupervisorHarness implements AutoCloseable {
    static final int LB_PORT = 80;
    static final int INSTANCE_PORT = 8080;
    /** The autoscaler's: a window of 10 s, cool-downs of 30 s out and 60 s in. */
    static final ScalingTimings SCALING = new ScalingTimings(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60));
    /** How long a test waits for what the balancer's own checks decide; only a broken build waits this long. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    final AppPaths paths;
    final FakeHypervisor hypervisor = new FakeHypervisor();
    final ManualClock clock = new ManualClock();
    final Timings timings;
    final Supervisor supervisor;
    private final List<String> log = new ArrayList<>();

    SupervisorHarness(Path dir) {
        this(dir, Duration.ofSeconds(30));
    }

    /** {@code takenIn}: how long the supervisor waits for the balancer to take in a replica that passed its checks. */
    SupervisorHarness(Path dir, Duration takenIn) {
        try {
            paths = new AppPaths(Files.createDirectories(dir.resolve("app")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        timings = new Timings(Duration.ZERO, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(1), takenIn,
                Duration.ofMillis(5), Duration.ofSeconds(2), Duration.ofSeconds(16), Duration.ofHours(1), clock, SCALING);
        supervisor = new Supervisor(paths, hypervisor, timings, this::log);
    }

    /** Checks every 20 ms, two in a row to be healthy or unhealthy; failures before the first pass are forgiven for a minute. */
    static Health patient() {
        return check(Duration.ofMillis(20), Duration.ofMinutes(1));
    }

    /** As {@link #patient} without a grace period: a replica that is not healthy after four intervals (80 ms) never will be. */
    static Health impatient() {
        return check(Duration.ofMillis(20), Duration.ZERO);
    }

    /** A check the balancer runs once an hour: it probes a new backend once, then never again during a test. */
    static Health hourly() {
        return check(Duration.ofHours(1), Duration.ZERO);
    }

    private static Health check(Duration interval, Duration grace) {
        return new Health(Health.Kind.HTTP, INSTANCE_PORT, "/health", interval, Duration.ofSeconds(2), 2, 2, grace);
    }

    /** The application with {@code web} at image {@code version} (one hex digit), private, on {@code replicas} VMs. */
    DesiredState web(char version, int replicas, Health health) {
        return app(service("web", version, replicas, health));
    }

    /** The application with these services. */
    static DesiredState app(DesiredState.ServiceState... services) {
        return new DesiredState("app", "app.i2kit.internal", Accelerator.TCG, List.of(services));
    }

    /** A private service like {@code web}, its balancer on {@code <name>-80.sock}. */
    DesiredState.ServiceState service(String name, char version, int replicas, Health health) {
        Path socket = paths.sockets().resolve(name + "-" + LB_PORT + ".sock");
        var port = new DesiredState.PortState(Protocol.HTTP, LB_PORT, INSTANCE_PORT, Endpoint.unix(socket), socket);
        return new DesiredState.ServiceState(name, "sha256:" + String.valueOf(version).repeat(64),
                Path.of("/images/kernel"), Path.of("/images/initrd"), "console=ttyS0", replicas, 128, 1, false,
                List.of(port), Optional.of(health), List.of(), "{}");
    }

    /** The application with {@code web} at image {@code version}, autoscaled as {@code scaling} says, starting at its min. */
    DesiredState autoscaled(char version, DesiredState.ScalingState scaling) {
        DesiredState.ServiceState web = service("web", version, scaling.min(), patient());
        return app(new DesiredState.ServiceState(web.name(), web.image(), web.kernel(), web.initrd(), web.cmdline(),
                web.replicas(), web.memoryMiB(), web.cpus(), web.isPublic(), web.ports(), web.health(), web.forwards(),
                web.metadata(), web.volumes(), Optional.of(scaling), Optional.empty()));
    }

    void apply(DesiredState state) {
        supervisor.apply(state, this::log);
    }

    /** GET {@code path} through web's balancer: the body of the answer, the id of the replica that gave it. */
    String get(String path) {
        return get("web", path);
    }

    /** GET {@code path} through {@code service}'s balancer. */
    String get(String service, String path) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(paths.sockets().resolve(service + "-" + LB_PORT + ".sock")));
            channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            int body = answer.indexOf("\r\n\r\n");
            return body < 0 ? "" : answer.substring(body + 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** web's replicas and the state of each in its balancer ({@code healthy}, {@code starting}...), in order. */
    List<String> replicas() {
        return replicas("web");
    }

    /** {@code service}'s replicas and the state of each in its balancer, in order. */
    List<String> replicas(String service) {
        return supervisor.status().services().stream().filter(s -> s.name().equals(service))
                .flatMap(s -> s.running().stream()).map(r -> r.id() + " " + r.health()).toList();
    }

    /** Waits until {@code condition} holds: for what the balancer's own checks decide, in their time. */
    void await(String what, BooleanSupplier condition) {
        Waiter.Outcome<Boolean> held = new Waiter(PATIENCE, Duration.ofMillis(20)).await(() ->
                condition.getAsBoolean() ? Waiter.Outcome.done(true) : Waiter.Outcome.retry(what));
        if (held.state() != Waiter.Outcome.State.DONE) {
            throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; replicas: " + replicas()
                    + "; log:\n" + String.join("\n", log()));
        }
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private synchronized void log(io.i2kit.event.Event.Note note) {
        log.add(line(note));
    }

    /** A note as the supervisor's log shows it: {@code [web] starting web-g1-r0}. */
    static String line(io.i2kit.event.Event.Note note) {
        return note.service().map(s -> "[" + s + "] ").orElse("i2kit: ") + note.text();
    }

    @Override
    public void close() {
        supervisor.close();
        hypervisor.close();
    }

    /** A clock that stands still until a test moves it: back-off is checked without waiting for it. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
