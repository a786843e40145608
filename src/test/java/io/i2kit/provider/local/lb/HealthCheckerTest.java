package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Health;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HealthCheckerTest {
    private final ScheduledExecutorService scheduler = HealthChecker.newScheduler(2);

    @AfterEach
    void shutdown() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    static Health http(String path) {
        return new Health(Health.Kind.HTTP, HttpBackend.INSTANCE_PORT, path, Duration.ofMillis(50),
                Duration.ofSeconds(2), 2, 2, Duration.ZERO);
    }

    static Health tcp() {
        return new Health(Health.Kind.TCP, 5432, null, Duration.ofMillis(50), Duration.ofSeconds(2), 2, 2, Duration.ZERO);
    }

    private HealthChecker tcpChecker() {
        return new HealthChecker(tcp(), scheduler, Duration.ofMillis(300));
    }

    private static Backend tcpBackend(int hostPort) {
        return Backend.tcp("vm", Map.of(5432, hostPort));
    }

    @Test
    void httpCheckPassesOn2xxAnd3xxAndFailsOn5xx() throws Exception {
        try (HttpBackend server = new HttpBackend("a")) {
            HealthChecker checker = new HealthChecker(http("/health"), scheduler);
            assertThat(checker.probe(server.backend()).passed()).isTrue();
            server.healthStatus.set(302);
            assertThat(checker.probe(server.backend()).passed()).isTrue();
            server.healthStatus.set(503);
            ProbeResult failed = checker.probe(server.backend());
            assertThat(failed.passed()).isFalse();
            assertThat(failed.detail()).isEqualTo("GET /health: HTTP 503");
        }
    }

    @Test
    void httpCheckFailsWhenHostfwdAcceptsAndCloses() throws Exception {
        try (TcpBackend hostfwd = TcpBackend.hostfwdWithNothingInGuest()) {
            HealthChecker checker = new HealthChecker(http("/"), scheduler);
            ProbeResult result = checker.probe(Backend.tcp("vm", Map.of(80, hostfwd.port())));
            assertThat(result.passed()).isFalse();
            assertThat(result.detail()).contains("connection closed before an answer");
        }
    }

    @Test
    void tcpCheckRejectsAConnectionThatHostfwdAcceptsAndCloses() throws Exception {
        try (TcpBackend hostfwd = TcpBackend.hostfwdWithNothingInGuest()) {
            ProbeResult result = tcpChecker().probe(tcpBackend(hostfwd.port()));
            assertThat(result.passed()).isFalse();
            assertThat(result.detail()).contains("closed right after connecting");
        }
    }

    @Test
    void tcpCheckAcceptsAServerThatHoldsTheConnectionOrSpeaksFirst() throws Exception {
        try (TcpBackend silent = TcpBackend.silent(); TcpBackend banner = TcpBackend.banner()) {
            assertThat(tcpChecker().probe(tcpBackend(silent.port())).detail()).contains("held open");
            assertThat(tcpChecker().probe(tcpBackend(banner.port())).detail()).contains("spoke first");
        }
    }

    @Test
    void tcpCheckFailsWhenNothingListens() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        assertThat(tcpChecker().probe(tcpBackend(freePort)).passed()).isFalse();
    }

    @Test
    void aBackendWithoutTheCheckedPortFails() {
        ProbeResult result = tcpChecker().probe(Backend.tcp("vm", Map.of(1, 2)));
        assertThat(result.passed()).isFalse();
        assertThat(result.detail()).contains("does not forward instance port 5432");
    }

    @Test
    void watchReportsTransitionsAfterThresholds() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (HttpBackend server = new HttpBackend("a")) {
            HealthChecker checker = new HealthChecker(http("/health"), scheduler);
            try (HealthChecker.Watch watch = checker.watch(server.backend(),
                    (id, healthy, last) -> events.add(id + (healthy ? " healthy" : " unhealthy: " + last.detail())))) {
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("a healthy");
                server.healthStatus.set(500);
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("a unhealthy: GET /health: HTTP 500");
                server.healthStatus.set(200);
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("a healthy");
            }
        }
    }

    @Test
    void awaitHealthyWaitsForThePassesOrSaysWhyNot() throws Exception {
        try (HttpBackend server = new HttpBackend("a")) {
            HealthChecker checker = new HealthChecker(http("/health"), scheduler);
            assertThat(checker.awaitHealthy(server.backend(), Duration.ofSeconds(10)).passed()).isTrue();
            server.healthStatus.set(503);
            ProbeResult result = checker.awaitHealthy(server.backend(), Duration.ofMillis(300));
            assertThat(result.passed()).isFalse();
            assertThat(result.detail()).isEqualTo("not healthy within 300ms; last check: GET /health: HTTP 503");
        }
    }

    @Test
    void aBackendThatIsNotYetHealthyIsProbedEverySecondNotEveryInterval() throws Exception {
        Health slow = new Health(Health.Kind.HTTP, HttpBackend.INSTANCE_PORT, "/health", Duration.ofSeconds(60),
                Duration.ofSeconds(2), 2, 2, Duration.ZERO);
        HealthChecker checker = new HealthChecker(slow, scheduler);
        assertThat(checker.delayMillis(false)).isEqualTo(1000);
        assertThat(checker.delayMillis(true)).isEqualTo(60_000);
        assertThat(new HealthChecker(http("/health"), scheduler).delayMillis(false)).isEqualTo(50);
        try (HttpBackend server = new HttpBackend("a")) {
            // Two passes are needed: at the 60 s interval the second would come a minute later.
            assertThat(checker.awaitHealthy(server.backend(), Duration.ofSeconds(20)).passed()).isTrue();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (HealthChecker.Watch watch = checker.watch(server.backend(),
                    (id, healthy, last) -> events.add(id + (healthy ? " healthy" : " unhealthy")))) {
                assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("a healthy");
            }
        }
    }
}
