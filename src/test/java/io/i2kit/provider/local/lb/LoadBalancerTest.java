package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Health;
import io.i2kit.manifest.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadBalancerTest {
    private final ScheduledExecutorService scheduler = HealthChecker.newScheduler(2);
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final BlockingQueue<BackendEvent> events = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        clients.shutdownNow();
        scheduler.shutdownNow();
        assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private LoadBalancer open(Endpoint bind, Optional<Health> health, Duration noBackendWait) {
        LoadBalancerConfig config = new LoadBalancerConfig("api",
                List.of(new Listener(8080, Protocol.HTTP, bind, HttpBackend.INSTANCE_PORT)), health, noBackendWait);
        LoadBalancer lb = LoadBalancer.open(config, scheduler, events::add);
        toClose.add(lb);
        return lb;
    }

    private LoadBalancer openHttp() {
        return open(Endpoint.tcp(0), Optional.of(HealthCheckerTest.http("/health")), Duration.ZERO);
    }

    private HttpBackend backend(String name) throws Exception {
        HttpBackend backend = new HttpBackend(name);
        toClose.add(backend);
        return backend;
    }

    private void addAndAwaitHealthy(LoadBalancer lb, HttpBackend backend) throws InterruptedException {
        lb.addBackend(backend.backend());
        awaitEvent(backend.name, BackendState.HEALTHY);
    }

    private void awaitEvent(String id, BackendState to) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            BackendEvent event = events.poll(1, TimeUnit.SECONDS);
            if (event != null && event.backendId().equals(id) && event.to() == to) {
                return;
            }
        }
        throw new AssertionError(id + " never became " + to + "; backends: " + events);
    }

    private static Endpoint endpoint(LoadBalancer lb) {
        return lb.endpoints().get(8080);
    }

    private static Map<String, Integer> spread(LoadBalancer lb, int requests) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            counts.merge(Client.get(endpoint(lb), "/"), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinSpreadsConnectionsEvenly() throws Exception {
        LoadBalancer lb = openHttp();
        for (String name : List.of("a", "b", "c")) {
            addAndAwaitHealthy(lb, backend(name));
        }
        assertThat(spread(lb, 30)).isEqualTo(Map.of("a", 10, "b", 10, "c", 10));
        assertThat(endpoint(lb)).isInstanceOfSatisfying(Endpoint.Tcp.class, tcp -> assertThat(tcp.port()).isPositive());
    }

    @Test
    void aBackendJoinsOnlyWhenItsCheckPasses() throws Exception {
        LoadBalancer lb = openHttp();
        HttpBackend a = backend("a");
        HttpBackend b = backend("b");
        b.healthStatus.set(503);
        addAndAwaitHealthy(lb, a);
        lb.addBackend(b.backend());
        assertThat(spread(lb, 6)).isEqualTo(Map.of("a", 6));
        assertThat(lb.backends()).extracting(BackendStatus::id).containsExactly("a", "b");
        assertThat(lb.backends().get(0).state()).isEqualTo(BackendState.HEALTHY);
        // Without a grace period b is unhealthy after two failed checks (100 ms): until then it is starting.
        assertThat(lb.backends().get(1).state()).isIn(BackendState.STARTING, BackendState.UNHEALTHY);
    }

    @Test
    void anUnhealthyBackendStopsReceivingTrafficAndComesBack() throws Exception {
        LoadBalancer lb = openHttp();
        HttpBackend a = backend("a");
        HttpBackend b = backend("b");
        addAndAwaitHealthy(lb, a);
        addAndAwaitHealthy(lb, b);
        b.healthStatus.set(500);
        awaitEvent("b", BackendState.UNHEALTHY);
        assertThat(spread(lb, 10)).isEqualTo(Map.of("a", 10));
        b.healthStatus.set(200);
        awaitEvent("b", BackendState.HEALTHY);
        assertThat(spread(lb, 10)).isEqualTo(Map.of("a", 5, "b", 5));
    }

    @Test
    void withoutABackendInServiceANewConnectionIsClosedAtOnce() {
        LoadBalancer lb = openHttp();
        assertThat(Client.get(endpoint(lb), "/")).isEmpty();
    }

    @Test
    void aConnectionIsHeldUntilABackendComesIntoService() throws Exception {
        LoadBalancer lb = open(Endpoint.tcp(0), Optional.of(HealthCheckerTest.http("/health")), Duration.ofSeconds(10));
        HttpBackend a = backend("a");
        try (var channel = endpoint(lb).connect()) {
            channel.write(java.nio.ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n".getBytes()));
            lb.addBackend(a.backend());
            assertThat(Client.readAll(channel)).endsWith("\r\n\r\na");
        }
    }

    @Test
    void drainLetsAnActiveConnectionFinishWhileNewOnesGoElsewhere() throws Exception {
        LoadBalancer lb = openHttp();
        HttpBackend a = backend("a");
        HttpBackend b = backend("b");
        addAndAwaitHealthy(lb, a);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> Client.get(endpoint(lb), "/slow"), clients);
        assertThat(a.slowEntered.await(15, TimeUnit.SECONDS)).isTrue();
        addAndAwaitHealthy(lb, b);

        CompletableFuture<DrainResult> drain = CompletableFuture.supplyAsync(() -> drain(lb, "a", Duration.ofSeconds(15)), clients);
        awaitEvent("a", BackendState.DRAINING);
        assertThat(lb.backends()).contains(new BackendStatus("a", BackendState.DRAINING, 1));
        assertThat(spread(lb, 5)).isEqualTo(Map.of("b", 5));
        assertThat(drain).isNotDone();

        a.release();
        assertThat(slow.get(15, TimeUnit.SECONDS)).isEqualTo("a slow");
        assertThat(drain.get(15, TimeUnit.SECONDS)).isEqualTo(new DrainResult("a", true, 0));
        assertThat(lb.backends()).extracting(BackendStatus::id).containsExactly("b");
    }

    @Test
    void drainCutsConnectionsThatOutliveItsTimeout() throws Exception {
        LoadBalancer lb = openHttp();
        HttpBackend a = backend("a");
        addAndAwaitHealthy(lb, a);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> Client.get(endpoint(lb), "/slow"), clients);
        assertThat(a.slowEntered.await(15, TimeUnit.SECONDS)).isTrue();

        assertThat(lb.drain("a", Duration.ofMillis(200))).isEqualTo(new DrainResult("a", false, 1));
        assertThat(slow.get(15, TimeUnit.SECONDS)).isEmpty();
        assertThat(lb.backends()).isEmpty();
    }

    private static DrainResult drain(LoadBalancer lb, String id, Duration timeout) {
        try {
            return lb.drain(id, timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void halfCloseIsRelayedSoTheAnswerStillComesBack() throws Exception {
        TcpBackend upper = TcpBackend.upperCaseAfterEof();
        toClose.add(upper);
        LoadBalancerConfig config = new LoadBalancerConfig("db",
                List.of(new Listener(5432, Protocol.TCP, Endpoint.tcp(0), 5432)), Optional.empty(), Duration.ZERO);
        LoadBalancer lb = LoadBalancer.open(config, scheduler, events::add);
        toClose.add(lb);
        lb.addBackend(Backend.tcp("db-1", Map.of(5432, upper.port())));
        String big = "x".repeat(200_000);
        assertThat(Client.exchange(lb.endpoints().get(5432), big.getBytes(StandardCharsets.UTF_8), true))
                .isEqualTo(big.toUpperCase());
    }

    @Test
    void aPrivateServiceListensOnAUnixSocketThatIsRemovedOnClose(@TempDir Path state) throws Exception {
        Path socket = state.resolve("private").resolve("api-8080.sock");
        LoadBalancer lb = open(Endpoint.unix(socket), Optional.of(HealthCheckerTest.http("/health")), Duration.ZERO);
        addAndAwaitHealthy(lb, backend("a"));
        assertThat(Client.get(endpoint(lb), "/")).isEqualTo("a");
        assertThat(Files.getPosixFilePermissions(socket.getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        lb.close();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aUnixSocketInASharedDirectoryIsRefused(@TempDir Path state) throws Exception {
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> open(Endpoint.unix(state.resolve("api.sock")), Optional.empty(), Duration.ZERO))
                .hasMessageContaining("other users could connect to a private service; hint: chmod 700");
    }

    @Test
    void closingStopsListenersConnectionsAndThreads() throws Exception {
        LoadBalancer lb = openHttp();
        HttpBackend a = backend("a");
        addAndAwaitHealthy(lb, a);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> Client.get(endpoint(lb), "/slow"), clients);
        assertThat(a.slowEntered.await(15, TimeUnit.SECONDS)).isTrue();
        assertThat(threadsNamed("i2kit-lb-api")).isOne();

        lb.close();
        assertThat(slow.get(15, TimeUnit.SECONDS)).isEmpty();
        assertThat(threadsNamed("i2kit-lb-api")).isZero();
        assertThatThrownBy(() -> endpoint(lb).connect()).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> lb.addBackend(a.backend())).isInstanceOf(IllegalStateException.class);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }
}
