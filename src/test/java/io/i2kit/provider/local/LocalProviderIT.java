package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local provider with real VMs, through the packaged CLI, in the order a user goes: up,
 * healing a killed VM, a rolling update under continuous load, a broken update rolled back, down.
 * Requests go through the public load balancer the whole time; none may fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalProviderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    static Path dir;
    static Path home;
    static Path app;

    @BeforeAll
    static void setUp() {
        home = BootstrappedHome.get().root();
        app = dir.resolve("lpt");
    }

    private static void manifest(String greeting, String command) throws IOException {
        Files.createDirectories(app);
        String web = "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest";
        Files.writeString(app.resolve("i2kit.yml"), """
                name: lpt
                services:
                  web:
                    public: true
                    replicas: 2
                    resources: {memory: 160M}
                    health: {path: /, interval: 1s, timeout: 900ms, healthy_threshold: 1, unhealthy_threshold: 2, grace_period: 45s}
                    containers:
                      web:
                        image: %s
                        ports: ["http:18480:http:80"]
                        environment: {GREETING: %s}
                %s
                """.formatted(web, greeting, command.isEmpty() ? "" : "        command: " + command));
    }

    private static JsonNode status() throws Exception {
        Cli.Run run = Cli.run(home, "status", "-f", app.toString(), "--output", "json").assertSuccess();
        return JSON.readTree(run.out());
    }

    private static String url() throws Exception {
        return "http://" + status().path("services").get(0).path("endpoints").path("18480").asText() + "/cgi-bin/hello";
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** Sends about 20 requests a second while {@code during} runs; returns the failures. */
    private static List<String> underLoad(String url, ThrowingRunnable during) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        Thread load = new Thread(() -> {
            while (!stop.get() && sent.get() < 20 * 600) {
                sent.incrementAndGet();
                try {
                    get(url);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        load.start();
        try {
            during.run();
        } finally {
            stop.set(true);
            load.join();
        }
        assertThat(sent.get()).as("requests sent under load").isGreaterThan(20);
        return failures;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<Long> qemuPids() throws Exception {
        List<Long> pids = new ArrayList<>();
        status().path("services").get(0).path("running").forEach(r -> pids.add(r.path("pid").asLong()));
        return pids;
    }

    @Test
    @Order(1)
    void upStartsTheReplicasBehindTheLoadBalancer() throws Exception {
        manifest("v1", "");
        Cli.Run up = Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        assertThat(up.out()).contains("web", "2/2 healthy", "http://127.0.0.1:");
        assertThat(get(url())).startsWith("v1 from ");
    }

    @Test
    @Order(2)
    void aKilledVmIsReplacedWhileRequestsKeepSucceeding() throws Exception {
        String url = url();
        long victim = qemuPids().get(0);
        List<String> failures = underLoad(url, () -> {
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                List<Long> pids = qemuPids();
                if (!pids.contains(victim) && pids.size() == 2
                        && status().path("services").get(0).path("running").findValuesAsText("health").stream()
                        .allMatch("healthy"::equals)) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("the killed VM was not replaced: " + status());
        });
        assertThat(failures).isEmpty();
    }

    @Test
    @Order(3)
    void aRollingUpdateUnderLoadLosesNoRequestAndLeavesNoOldVm() throws Exception {
        String url = url();
        List<Long> old = qemuPids();
        manifest("v2", "");
        List<String> failures = underLoad(url, () -> Cli.run(home, "up", "-f", app.toString()).assertSuccess());
        assertThat(failures).isEmpty();
        assertThat(get(url)).startsWith("v2 from ");
        assertThat(old).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("old QEMU %d", pid).isFalse());
        assertThat(url()).isEqualTo(url).as("the same port across updates");
    }

    @Test
    @Order(4)
    void aBrokenUpdateIsRolledBackWhileTheOldVersionKeepsServing() throws Exception {
        String url = url();
        manifest("v3", "[\"/bin/busybox\", \"sleep\", \"100000\"]");
        List<String> failures = underLoad(url, () -> {
            Cli.Run up = Cli.run(home, "up", "-f", app.toString());
            assertThat(up.status()).as(up.err()).isEqualTo(1);
            assertThat(up.err()).contains("rolled back", "did not become healthy");
        });
        assertThat(failures).isEmpty();
        assertThat(get(url)).startsWith("v2 from ");
    }

    @Test
    @Order(5)
    void downLeavesNoProcessAndNoState() throws Exception {
        long supervisor = status().path("supervisorPid").asLong();
        List<Long> vms = qemuPids();
        Cli.run(home, "down", "-f", app.toString()).assertSuccess();
        assertThat(ProcessHandle.of(supervisor).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(vms).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
        assertThat(home.resolve("apps/lpt")).doesNotExist();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Cli.run(home, "down", "-f", app.toString());
    }
}
