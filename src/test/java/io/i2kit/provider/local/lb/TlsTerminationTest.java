package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.tls.LocalCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The balancer's https and tls listeners, with certificates of a real local CA, in front of plain backends. */
class TlsTerminationTest {
    private final ScheduledExecutorService scheduler = HealthChecker.newScheduler(2);
    private final BlockingQueue<BackendEvent> events = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path state;
    private LocalCa ca;

    @BeforeEach
    void makeCa() {
        ca = LocalCa.openOrCreate(state.resolve("ca"));
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private SSLContext serverContext() {
        return ca.issue(List.of("localhost", "127.0.0.1", "::1", "web.app.localhost")).serverContext();
    }

    /** Like a public service with {@code 80} and {@code https:443:http:80}: the http listener redirects. */
    private LoadBalancer openWeb(boolean redirect) throws Exception {
        Path lb = state.resolve("lb");
        LoadBalancerConfig config = new LoadBalancerConfig("web", List.of(
                new Listener(443, Protocol.HTTPS, Endpoint.tcp(0), HttpBackend.INSTANCE_PORT),
                new Listener(443, Protocol.HTTP, Endpoint.unix(lb.resolve("web-443.sock")), HttpBackend.INSTANCE_PORT),
                new Listener(80, Protocol.HTTP, Endpoint.tcp(0), HttpBackend.INSTANCE_PORT,
                        redirect ? OptionalInt.of(443) : OptionalInt.empty()),
                new Listener(80, Protocol.HTTP, Endpoint.unix(lb.resolve("web-80.sock")), HttpBackend.INSTANCE_PORT)),
                Optional.of(HealthCheckerTest.http("/health")), Duration.ofSeconds(5), Optional.of(serverContext()));
        LoadBalancer balancer = LoadBalancer.open(config, scheduler, events::add);
        toClose.add(balancer);
        return balancer;
    }

    private HttpBackend healthyBackend(LoadBalancer lb, String name) throws Exception {
        HttpBackend backend = new HttpBackend(name);
        toClose.add(backend);
        lb.addBackend(backend.backend());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            BackendEvent e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && e.backendId().equals(name) && e.to() == BackendState.HEALTHY) {
                return backend;
            }
        }
        throw new AssertionError(name + " never became healthy: " + events);
    }

    private SSLContext trustingTheCa() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("i2kit-local-ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int port(LoadBalancer lb, int lbPort) {
        return ((Endpoint.Tcp) lb.endpoints().get(lbPort)).port();
    }

    @Test
    void httpsIsTerminatedWithTheCasCertificateAndTheBackendServesPlainHttp() throws Exception {
        LoadBalancer lb = openWeb(true);
        HttpBackend backend = healthyBackend(lb, "a");
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheCa()).connectTimeout(Duration.ofSeconds(10)).build();
        int https = port(lb, 443);
        // The backend is a plain HTTP server: that it answers at all shows the bytes reached it decrypted.
        for (String host : List.of("127.0.0.1", "localhost")) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + https + "/"))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("a");
            assertThat(answer.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
        }
        assertThat(backend.served.get()).isEqualTo(2);
        assertThat(lb.protocols()).containsEntry(443, Protocol.HTTPS).containsEntry(80, Protocol.HTTP);
        assertThat(lb.terminatesTls()).isTrue();
    }

    @Test
    void aClientThatDoesNotTrustTheLocalCaIsRefusedTheHandshake() throws Exception {
        LoadBalancer lb = openWeb(true);
        healthyBackend(lb, "a");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port(lb, 443) + "/"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void tls12ClientsAreServedToo() throws Exception {
        LoadBalancer lb = openWeb(true);
        healthyBackend(lb, "a");
        try (SSLSocket socket = (SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", port(lb, 443))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("a");
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void theHttpPortAnswers301ToTheHttpsPortReallyBoundAndForwardsNothing() throws Exception {
        LoadBalancer lb = openWeb(true);
        HttpBackend backend = healthyBackend(lb, "a");
        int https = port(lb, 443);
        String answer = Client.exchange(lb.endpoints().get(80),
                "GET /vote?poll=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false);
        assertThat(answer).startsWith("HTTP/1.1 301 Moved Permanently\r\n")
                .contains("\r\nLocation: https://localhost:" + https + "/vote?poll=1\r\n");
        String noHost = Client.exchange(lb.endpoints().get(80), "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false);
        assertThat(noHost).contains("\r\nLocation: https://127.0.0.1:" + https + "/\r\n");
        assertThat(backend.served.get()).isZero();
        // The VMs' way in, the Unix socket of the same port, forwards plain http as before.
        assertThat(Client.get(Endpoint.unix(state.resolve("lb").resolve("web-80.sock")), "/")).isEqualTo("a");
        assertThat(backend.served.get()).isEqualTo(1);
    }

    @Test
    void withoutTheRedirectTheHttpPortForwards() throws Exception {
        LoadBalancer lb = openWeb(false);
        healthyBackend(lb, "a");
        assertThat(Client.get(lb.endpoints().get(80), "/")).isEqualTo("a");
    }

    @Test
    void aTlsPortIsTerminatedAndItsHalfCloseStillGetsTheAnswer() throws Exception {
        TcpBackend upper = TcpBackend.upperCaseAfterEof();
        toClose.add(upper);
        LoadBalancerConfig config = new LoadBalancerConfig("db", List.of(
                new Listener(5432, Protocol.TLS, Endpoint.tcp(0), 5432),
                new Listener(5432, Protocol.TCP, Endpoint.unix(state.resolve("lb").resolve("db-5432.sock")), 5432)),
                Optional.empty(), Duration.ZERO, Optional.of(serverContext()));
        LoadBalancer lb = LoadBalancer.open(config, scheduler, events::add);
        toClose.add(lb);
        lb.addBackend(Backend.tcp("db-1", Map.of(5432, upper.port())));
        String big = "x".repeat(200_000);
        try (SSLSocket socket = (SSLSocket) trustingTheCa().getSocketFactory().createSocket("localhost", port(lb, 5432))) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(big.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(big.toUpperCase());
        }
    }

    @Test
    void closingTheBalancerEndsAnOpenTlsConnection() throws Exception {
        LoadBalancer lb = openWeb(true);
        healthyBackend(lb, "a");
        try (SSLSocket socket = (SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", port(lb, 443))) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            lb.close();
            // ended either way: an end of stream, or a reset when the close raced the handshake's
            // last bytes; only a connection still open (the 15 s read timeout) fails
            try {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the TLS connection stayed open after the balancer closed", e);
            } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
                // ended by a reset (or a TLS alert about it): the connection is gone, as asked
            }
        }
    }

    @Test
    void aTlsListenerWithoutAPlainSocketToHandTo() {
        assertThatThrownBy(() -> new LoadBalancerConfig("web",
                List.of(new Listener(443, Protocol.HTTPS, Endpoint.tcp(0), 80)), Optional.empty(), Duration.ZERO,
                Optional.of(serverContext()))).hasMessageContaining("needs a plain listener of the same port on a Unix socket");
    }
}
