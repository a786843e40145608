package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.HostSockets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The README's main job: the multi-service example comes up locally, and a vote sent to its public
 * front travels through discovery (vote → queue → worker → db) and comes back on the public
 * results page, also after db's VM was killed and replaced.
 */
class PollsExampleIT {
    private static final Path POLLS = Path.of("examples/polls").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aVoteTravelsThroughDiscoveryToTheResultsPage() throws Exception {
        Path home = BootstrappedHome.get().root();
        Cli.Run up = Cli.run(home, "up", "-f", POLLS.toString()).assertSuccess();
        assertThat(up.out()).contains("vote", "2/2 healthy", "result", "1/1 running", "private (reachable from the application's VMs)");
        JsonNode status = new ObjectMapper().readTree(Cli.run(home, "status", "-f", POLLS.toString(), "--output", "json")
                .assertSuccess().out());
        for (JsonNode service : status.path("services")) {
            for (JsonNode replica : service.path("running")) {
                assertThat(HostSockets.tcpListeners(replica.path("pid").asLong()))
                        .as("host TCP ports of %s's QEMU: VMs are reached only through their load balancer",
                                replica.path("id").asText()).isEmpty();
            }
        }
        String vote = endpoint(status, "vote", "80");
        String result = endpoint(status, "result", "8080");
        HttpResponse<String> voted = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + vote + "/cgi-bin/vote"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("vote=b")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(voted.statusCode()).as(voted.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String page = "";
        while (System.nanoTime() < deadline && !page.contains("<td>Dogs</td><td>1</td>")) {
            page = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + result + "/cgi-bin/result"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(1000);
        }
        assertThat(page).as("the results page, after the worker moved the vote").contains("<td>Dogs</td><td>1</td>");

        // db keeps the votes on its volume: its VM killed, the supervisor boots a replacement on the
        // same disk, and the results page (which asks db on every request) still counts the vote
        long victim = service(status, "db").path("running").get(0).path("pid").asLong();
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        JsonNode db = null;
        deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            db = service(new ObjectMapper().readTree(Cli.run(home, "status", "-f", POLLS.toString(), "--output", "json")
                    .assertSuccess().out()), "db").path("running");
            if (db.size() == 1 && db.get(0).path("pid").asLong() != victim && db.get(0).path("health").asText().equals("healthy")) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(db.get(0).path("health").asText()).as("db's replacement: %s", db).isEqualTo("healthy");
        assertThat(db.get(0).path("pid").asLong()).isNotEqualTo(victim);
        page = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + result + "/cgi-bin/result"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).as("the results page from db's replacement").contains("<td>Dogs</td><td>1</td>");
    }

    private static JsonNode service(JsonNode status, String name) {
        for (JsonNode s : status.path("services")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + status);
    }

    private static String endpoint(JsonNode status, String service, String port) {
        return service(status, service).path("endpoints").path(port).asText();
    }

    @AfterAll
    static void down() throws Exception {
        // --delete-data: db keeps its votes on a volume, and a rerun in the same home would count them twice
        Cli.run(BootstrappedHome.get().root(), "down", "-f", POLLS.toString(), "--delete-data").assertSuccess();
    }
}
