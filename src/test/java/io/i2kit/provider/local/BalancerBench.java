package io.i2kit.provider.local;

import io.i2kit.manifest.Health;
import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.lb.BackendState;
import io.i2kit.provider.local.lb.BackendStatus;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.lb.HealthChecker;
import io.i2kit.provider.local.lb.LoadBalancer;
import io.i2kit.provider.local.lb.LoadBalancerConfig;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.Vm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;

/**
 * bench/lb/run's i2kit load balancer: the class the supervisor runs, configured as the supervisor
 * configures a public HTTP service with the default health check (BalancerTranslator, from the
 * state {@code up} sends), with each backend reached through a VM's socket file, here the socket
 * of a host-process HTTP server standing in for the VM's relay. Prints {@code ready HOST:PORT} once
 * every backend is in service, then serves until it is killed.
 *
 * <p>Usage: {@code BalancerBench PORT SOCKET_DIR BACKEND_SOCKET...}
 */
final class BalancerBench {
    private static final int INSTANCE_PORT = 80;

    private BalancerBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BalancerBench PORT SOCKET_DIR BACKEND_SOCKET...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path sockets = Path.of(args[1]);
        // What LocalProvider.desired gives a public service with one http port and no health key.
        Health health = new Health(Health.Kind.HTTP, INSTANCE_PORT, "/", Health.DEFAULT_INTERVAL,
                Health.DEFAULT_TIMEOUT, Health.DEFAULT_HEALTHY, Health.DEFAULT_UNHEALTHY, Health.DEFAULT_GRACE);
        DesiredState.PortState http = new DesiredState.PortState(Protocol.HTTP, INSTANCE_PORT, INSTANCE_PORT,
                Endpoint.tcp(port), sockets.resolve("web-" + INSTANCE_PORT + ".sock"));
        DesiredState.ServiceState web = new DesiredState.ServiceState("web", "sha256:bench", Path.of("kernel"),
                Path.of("initrd"), "", args.length - 2, 96, 1, true, List.of(http), Optional.of(health), List.of(), "{}");
        // A plain http port: no certificate is ever asked for.
        LoadBalancerConfig config = BalancerTranslator.config(web, "bench", () -> {
            throw new IllegalStateException("the bench's port is plain http");
        }).orElseThrow();

        ScheduledExecutorService scheduler = HealthChecker.newScheduler(8);
        LoadBalancer balancer = LoadBalancer.open(config, scheduler, event -> System.err.println(
                "lb: " + event.backendId() + " " + event.from() + " -> " + event.to() + " (" + event.reason() + ")"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            balancer.close();
            scheduler.shutdownNow();
            stopped.countDown();
        }));
        List<String> ids = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String id = "web-g1-r" + (i - 1);
            ids.add(id);
            balancer.addBackend(BalancerTranslator.backend(id, new SocketVm(id, Path.of(args[i]))));
        }
        // Both replicas in service before any measurement, as after a finished `up`.
        while (!balancer.backends().stream().allMatch(b -> b.state() == BackendState.HEALTHY)) {
            Thread.sleep(100);
        }
        System.out.println("ready " + balancer.endpoints().get(INSTANCE_PORT) + " "
                + balancer.backends().stream().map(BackendStatus::id).toList());
        System.out.flush();
        stopped.await();
    }

    /** A replica whose guest port 80 is a socket file served by a host process; nothing to start or stop. */
    private record SocketVm(String name, Path socket) implements Vm {
        @Override
        public Path workDir() {
            return socket.getParent();
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public Accelerator accelerator() {
            return Accelerator.TCG;
        }

        @Override
        public Optional<Instant> startedAt() {
            return Optional.empty();
        }

        @Override
        public boolean alive() {
            return true;
        }

        @Override
        public Optional<Duration> cpuTime() {
            return Optional.empty();
        }

        @Override
        public List<Integer> ports() {
            return List.of(INSTANCE_PORT);
        }

        @Override
        public Path socket(int guestPort) {
            return socket;
        }

        @Override
        public Set<Long> forwardedConnections(int guestPort) {
            return Set.of(); // only TCP checks ask; this service's check is HTTP
        }

        @Override
        public List<String> newForwardedConnectionStates(int guestPort, Set<Long> before) {
            return List.of();
        }

        @Override
        public Path console() {
            return socket.getParent().resolve("console.log");
        }

        @Override
        public List<Path> logs() {
            return List.of(console());
        }

        @Override
        public String consoleTail(int lines) {
            return "";
        }

        @Override
        public String qemuLogTail(int lines) {
            return "";
        }

        @Override
        public void stop(Duration grace) {
        }

        @Override
        public boolean awaitExit(Duration timeout) {
            return true;
        }
    }
}
