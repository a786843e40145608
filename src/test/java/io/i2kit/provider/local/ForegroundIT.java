package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code up --foreground} keeps the supervisor attached; stopping it (Ctrl-C, SIGTERM) tears everything down. */
class ForegroundIT {
    @TempDir
    Path dir;

    @Test
    void theForegroundSupervisorIsSeenByOthersAndStoppingItStopsEveryVm() throws Exception {
        Path home = BootstrappedHome.get().root();
        Path app = Files.createDirectories(dir.resolve("fg"));
        Files.writeString(app.resolve("i2kit.yml"), """
                name: fg
                services:
                  web:
                    public: true
                    resources: {memory: 160M}
                    health: {path: /, interval: 1s, timeout: 900ms, healthy_threshold: 1}
                    containers:
                      web: {image: "oci:%s:latest", ports: ["http:18580:http:80"]}
                """.formatted(BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci")));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Cli.JAR.toString(), "up", "-f", app.toString(), "--foreground")
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("I2KIT_HOME", home.toString());
        Process up = pb.start();
        try {
            CompletableFuture<Matcher> printed = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
                    String line;
                    while ((line = out.readLine()) != null) {
                        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/").matcher(line);
                        if (m.find()) {
                            return m;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            // While its first apply still boots the VM, the foreground supervisor already answers.
            Path control = new AppPaths(home.resolve("apps/fg")).control();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(control) && System.nanoTime() < deadline && up.isAlive()) {
                Thread.sleep(50);
            }
            // asked straight on the socket (no JVM to start): the answer comes in milliseconds, long
            // before the VM boots; a supervisor that accepted only after its apply answered after the URL
            Status during = ControlChannel.status(control);
            assertThat(printed.isDone()).as("the first apply had ended before status was answered").isFalse();
            assertThat(during.supervisorPid()).isEqualTo(up.pid());

            Matcher url = printed.get(5, TimeUnit.MINUTES);
            assertThat(url).as("a URL on stdout; stderr: %s", Files.readString(dir.resolve("stderr.txt"))).isNotNull();
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.group()))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);

            // Others see the foreground supervisor: status asks it, and another up updates it, no twin.
            String status = Cli.run(home, "status", "-f", app.toString(), "--output", "json").assertSuccess().out();
            assertThat(status).contains("\"supervisorPid\" : " + up.pid());
            Cli.Run again = Cli.run(home, "up", "-f", app.toString()).assertSuccess();
            assertThat(again.err()).contains("[web] unchanged").doesNotContain("starting the supervisor");
            assertThat(SupervisorProcess.background(new AppPaths(home.resolve("apps/fg")))).isEmpty();

            List<ProcessHandle> vms = up.descendants().filter(p -> p.info().command().orElse("").contains("qemu")).toList();
            assertThat(vms).isNotEmpty();
            up.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the VMs
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle vm : vms) {
                vm.onExit().get(30, TimeUnit.SECONDS);
            }
        } finally {
            up.destroyForcibly();
        }
    }
}
