package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.provider.Waiter;
import io.i2kit.provider.local.scaling.ScalingTimings;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.InlineManifest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service of real VMs, {@code replicas: {min: 1, max: 2, cpu: 50}}, whose CGI burns its VM's CPU
 * for as long as a request asks: under a stream of such requests the supervisor measures its QEMU
 * busy and starts a second VM; once the requests stop, it stops one again. The supervisor's
 * window and cool-downs are shortened through its environment (10 s window, 10 s out, 30 s in).
 */
class AutoscalingIT {
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final Map<String, String> SHORT = Map.of(ScalingTimings.WINDOW, "10", ScalingTimings.OUT, "10",
            ScalingTimings.IN, "30");

    @TempDir
    Path dir;

    @Test
    void scalesOutUnderCpuLoadAndBackInAfterIt() throws Exception {
        Path manifest = InlineManifest.app(dir.resolve("burn"), """
                name: burn
                services:
                  web:
                    public: true
                    replicas: {min: 1, max: 2, cpu: 50}
                    resources: {memory: 160M}
                    health: {path: /, interval: 2s, timeout: 1500ms, healthy_threshold: 1, unhealthy_threshold: 5}
                    containers:
                      web:
                        image: "oci:%s:latest"
                        ports: [80]
                        command:
                          - /bin/sh
                          - -c
                          - |
                            mkdir -p /tmp/www/cgi-bin
                            echo up > /tmp/www/index.html
                            cat > /tmp/www/cgi-bin/burn <<'CGI'
                            #!/bin/sh
                            # busy for as many seconds as the query asks
                            end=$(( $(cut -d. -f1 /proc/uptime) + ${QUERY_STRING:-10} ))
                            while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do :; done
                            printf 'Content-Type: text/plain\\r\\n\\r\\nburnt on %%s\\n' "$(hostname)"
                            CGI
                            chmod 755 /tmp/www/cgi-bin/burn
                            exec /bin/busybox httpd -f -v -p 80 -h /tmp/www
                """.formatted(BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci")));
        Path home = BootstrappedHome.get().root();
        AppPaths paths = new AppPaths(home.resolve("apps").resolve("burn"));
        try {
            Cli.run(home, SHORT, "up", "-f", manifest.toString()).assertSuccess();
            JsonNode web = web(home, manifest);
            assertThat(web.path("running")).hasSize(1);
            assertThat(web.path("scaling").path("desired").asInt()).isEqualTo(1);
            String burn = "http://" + web.path("endpoints").path("80").asText() + "/cgi-bin/burn?15";

            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            Thread load = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (loading.get()) {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(burn))
                                .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().startsWith("burnt on ")) {
                            answered.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // a request cut by a drain, or a slow answer: the next one follows
                    }
                }
            }, "burn-load");
            load.setDaemon(true);
            load.start();
            try {
                await("a second VM, healthy, under load", () -> {
                    JsonNode now = web(home, manifest);
                    return now.path("scaling").path("desired").asInt() == 2 && healthy(now) == 2;
                }, paths);
            } finally {
                loading.set(false);
            }
            String log = Files.readString(paths.log());
            assertThat(log).containsPattern("\\[web\\] scaling out from 1 VM to 2 VMs: average CPU \\d+% of 1 VM over the"
                    + " last 10 s, target 50%");
            assertThat(answered.get()).as("CGI requests answered").isPositive();

            await("back to one VM once the load ended", () -> {
                JsonNode now = web(home, manifest);
                return now.path("running").size() == 1 && now.path("scaling").path("desired").asInt() == 1;
            }, paths);
            assertThat(Files.readString(paths.log())).containsPattern("\\[web\\] scaling in from 2 VMs to 1 VM: average"
                    + " CPU \\d+% of 2 VMs");
            Cli.Run status = Cli.run(home, "status", "-f", manifest.toString()).assertSuccess();
            assertThat(status.out()).contains("autoscaled 1..2 on cpu 50%: desired 1, current 1");
            // what the scaling looked like, for whoever reads the test's output
            Files.readAllLines(paths.log()).stream().filter(l -> l.contains("[web] scal") || l.contains("[web] would scale")
                    || l.contains("healthy and in"))
                    .forEach(System.out::println);
            System.out.println(status.out());
        } finally {
            Cli.run(home, "down", "-f", manifest.toString());
        }
    }

    private static JsonNode web(Path home, Path manifest) throws Exception {
        return new ObjectMapper().readTree(Cli.run(home, "status", "-f", manifest.toString(), "--output", "json")
                .assertSuccess().out()).path("services").get(0);
    }

    private static long healthy(JsonNode web) {
        long count = 0;
        for (JsonNode r : web.path("running")) {
            count += r.path("health").asText().equals("healthy") ? 1 : 0;
        }
        return count;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check, AppPaths paths) throws Exception {
        Waiter.Outcome<Boolean> held = new Waiter(PATIENCE, Duration.ofSeconds(2)).await(() -> {
            try {
                return check.holds() ? Waiter.Outcome.done(true) : Waiter.Outcome.retry(what);
            } catch (Exception e) {
                return Waiter.Outcome.retry(what + ": " + e.getMessage());
            }
        });
        if (held.state() != Waiter.Outcome.State.DONE) {
            throw new AssertionError("waited " + PATIENCE.toMinutes() + " min for " + what + "; the supervisor's log:\n"
                    + (Files.exists(paths.log()) ? Files.readString(paths.log()) : "(none)"));
        }
    }
}
