package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.testing.Cli;
import io.i2kit.testing.OwnerOnlyTree;
import io.i2kit.testing.WebApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's life: two ups at once start one supervisor; every directory, file and socket of
 * the application is the owner's only, whatever the CLI's umask; a
 * supervisor killed outright leaves its VMs, and the next up adopts them without restarting any;
 * down then leaves no process behind.
 */
class SupervisorCrashIT {
    @TempDir
    Path dir;

    @Test
    void oneSupervisorAtATimeAndACrashedOneIsSucceededWithoutRestartingItsVms() throws Exception {
        try (WebApp app = WebApp.write(dir, "crash", true)) {
            succeedsACrashedSupervisor(app);
        }
    }

    private static void succeedsACrashedSupervisor(WebApp app) throws Exception {
        AppPaths paths = new AppPaths(app.state());

        var first = CompletableFuture.supplyAsync(() -> app.run("up"));
        var second = CompletableFuture.supplyAsync(() -> app.run("up"));
        first.get(10, TimeUnit.MINUTES).assertSuccess();
        second.get(10, TimeUnit.MINUTES).assertSuccess();
        assertThat(SupervisorProcess.background(paths)).as("supervisors after two ups at once").hasSize(1);
        // The CLI runs as java -jar, with this JVM's umask (022 normally), not the ./i2kit script's 077.
        assertThat(paths.vm("web", 1, 0).resolve("console.log")).exists();
        assertThat(OwnerOnlyTree.offenders(paths.root())).as("what under %s is not the owner's only"
                + " (directories 0700; files, logs, consoles and sockets 0600)", paths.root()).isEmpty();

        JsonNode status = app.status();
        ProcessHandle supervisor = ProcessHandle.of(status.path("supervisorPid").asLong()).orElseThrow();
        long vmPid = status.path("services").get(0).path("running").get(0).path("pid").asLong();
        String endpoint = status.path("services").get(0).path("endpoints").path("80").asText();
        supervisor.destroyForcibly();
        supervisor.onExit().get(20, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(vmPid)).as("the VM outlives its supervisor").hasValueSatisfying(
                p -> assertThat(p.isAlive()).isTrue());

        Cli.Run again = app.run("up").assertSuccess();
        assertThat(again.err()).contains("[web] unchanged");
        assertThat(Files.readString(paths.log())).contains("adopted web-g1-r0");
        JsonNode after = app.status();
        assertThat(after.path("services").get(0).path("running").get(0).path("pid").asLong())
                .as("the same VM serves, not restarted").isEqualTo(vmPid);
        HttpResponse<String> page = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);

        assertThat(app.run("down").assertSuccess().err()).as("the supervisor answers down before it ends")
                .doesNotContain("did not stop cleanly");
        assertThat(ProcessHandle.of(vmPid).filter(ProcessHandle::isAlive)).as("the VM after down").isEmpty();
        assertThat(SupervisorProcess.background(paths)).as("supervisors after down").isEmpty();
        assertThat(paths.root()).doesNotExist();
    }
}
