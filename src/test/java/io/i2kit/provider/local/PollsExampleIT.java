package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.HostSockets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The README's main job: the multi-service example comes up locally, and a vote sent to its public
 * front travels through discovery (vote → queue → worker → db) and comes back on the public
 * results page, also after db's VM was killed and replaced.
 */
class PollsExampleIT {
    private static final Path POLLS = Path.of("examples/polls").toAbsolutePath();
    private static HttpClient HTTP;

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
        // as a user who trusts the CA that up printed: https ends at the local balancer
        String ca = status.path("certificateAuthority").asText();
        assertThat(up.out()).contains(ca);
        HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trusting(Path.of(ca))).build();
        String vote = endpoint(status, "vote", "443");
        String result = endpoint(status, "result", "8443");
        HttpResponse<String> redirected = HTTP.send(HttpRequest.newBuilder(URI.create("http://"
                + endpoint(status, "vote", "80") + "/")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirected.statusCode()).as("vote's http port").isEqualTo(301);
        assertThat(redirected.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("https://"));
        HttpResponse<String> voted = HTTP.send(HttpRequest.newBuilder(URI.create("https://" + vote + "/cgi-bin/vote"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("vote=b")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(voted.statusCode()).as(voted.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String page = "";
        while (System.nanoTime() < deadline && !page.contains("<td>Dogs</td><td>1</td>")) {
            page = HTTP.send(HttpRequest.newBuilder(URI.create("https://" + result + "/cgi-bin/result"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(1000);
        }
        assertThat(page).as("the results page, after the worker moved the vote").contains("<td>Dogs</td><td>1</td>");

        // worker and result counted with the password; without it, db refuses: the init rendered the
        // redis image's template (the image has no shell to pass the password on)
        assertThat(redisAnswer(endpoint(status, "db", "6379"), "PING")).startsWith("-NOAUTH");
        assertThat(Cli.run(home, "logs", "-f", POLLS.toString(), "db").assertSuccess().out())
                .contains("i2kit: secrets: db: template redis-auth.conf rendered");

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
        page = HTTP.send(HttpRequest.newBuilder(URI.create("https://" + result + "/cgi-bin/result"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).as("the results page from db's replacement").contains("<td>Dogs</td><td>1</td>");
    }

    /**
     * The first line a redis server answers to one inline command, without AUTH; the endpoint of a
     * private service is its balancer's Unix socket ({@code unix:PATH}), a public one's host:port.
     */
    private static String redisAnswer(String endpoint, String command) throws Exception {
        SocketAddress address = endpoint.startsWith("unix:") ? UnixDomainSocketAddress.of(endpoint.substring("unix:".length()))
                : new InetSocketAddress(endpoint.substring(0, endpoint.lastIndexOf(':')),
                        Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
        try (SocketChannel channel = SocketChannel.open(address)) {
            channel.write(ByteBuffer.wrap((command + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            BufferedReader answer = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.US_ASCII));
            // a Unix socket channel has no read timeout: closing the channel ends a read that waits too long
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return answer.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(20, TimeUnit.SECONDS);
        }
    }

    private static javax.net.ssl.SSLContext trusting(Path caFile) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(caFile)) {
            trust.setCertificateEntry("i2kit-local-ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
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
