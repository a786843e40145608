package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * https on a real VM through the local balancer, as a user reaches it: {@code up} prints the https
 * endpoint and the CA file; curl trusting that file (and only then) gets the page over TLS from
 * the VM's plain busybox httpd; the http port of the same instance port answers 301 to the https
 * port; {@code redirect_http: false} turns that off.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path home;
    static Path app;

    @BeforeAll
    static void setUp() {
        home = BootstrappedHome.get().root();
        app = dir.resolve("ltls");
    }

    private static void manifest(boolean redirect) throws IOException {
        Files.createDirectories(app);
        String web = "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest";
        Files.writeString(app.resolve("i2kit.yml"), """
                name: ltls
                services:
                  web:
                    public: true
                    hostname: web.example.test
                    redirect_http: %s
                    resources: {memory: 160M}
                    health: {path: /, interval: 1s, timeout: 900ms, healthy_threshold: 1, unhealthy_threshold: 2, grace_period: 45s}
                    containers:
                      web:
                        image: %s
                        ports: ["http:18580:http:80", "https:18543:http:80"]
                """.formatted(redirect, web));
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(Cli.run(home, "status", "-f", app.toString(), "--output", "json").assertSuccess().out());
    }

    private static String endpoint(String lbPort) throws Exception {
        return status().path("services").get(0).path("endpoints").path(lbPort).asText();
    }

    private static Path ca() {
        return home.resolve("ca").resolve("ca.pem");
    }

    /** curl's exit status and output; curl is the client the docs tell users to use. */
    private static Cli.Run curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Cli.Run(p.exitValue(), out, err);
    }

    @Test
    @Order(1)
    void upPrintsTheHttpsEndpointAndTheCaFileWhichIsTheOwnersOnly() throws Exception {
        manifest(true);
        Cli.Run up = Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        assertThat(up.out()).contains("1/1 healthy", "https://127.0.0.1:", "local CA: " + ca());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca().getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca().resolveSibling("ca-key.pem"))))
                .isEqualTo("rw-------");
        JsonNode s = status();
        assertThat(s.path("certificateAuthority").asText()).isEqualTo(ca().toString());
        assertThat(s.path("services").get(0).path("protocols").path("18543").asText()).isEqualTo("https");
        Cli.Run printed = Cli.run(home, "status", "-f", app.toString()).assertSuccess();
        assertThat(printed.out()).contains("https://" + endpoint("18543") + "/", "curl --cacert " + ca());
    }

    @Test
    @Order(2)
    void curlTrustingTheCaGetsThePageFromTheVmsPlainHttpServer() throws Exception {
        String https = endpoint("18543");
        Cli.Run page = curl("--cacert", ca().toString(), "https://" + https + "/cgi-bin/hello?from=curl");
        assertThat(page.status()).as(page.err()).isZero();
        // busybox httpd in the VM speaks plain http only: it parsed the request and ran the script.
        assertThat(page.out()).contains("hello from ", "request: GET /cgi-bin/hello?from=curl");
        int port = Integer.parseInt(https.substring(https.lastIndexOf(':') + 1));
        for (String name : List.of("localhost", "web.ltls.localhost", "web.example.test")) {
            Cli.Run named = curl("--cacert", ca().toString(), "--resolve", name + ":" + port + ":127.0.0.1",
                    "https://" + name + ":" + port + "/cgi-bin/hello");
            assertThat(named.status()).as(name + ": " + named.err()).isZero();
            assertThat(named.out()).contains("request: GET /cgi-bin/hello");
        }
        Cli.Run untrusted = curl("https://" + https + "/");
        assertThat(untrusted.status()).as("curl without the CA: " + untrusted.err()).isEqualTo(60);
        Cli.Run wrongName = curl("--cacert", ca().toString(), "--resolve", "other.test:" + port + ":127.0.0.1",
                "https://other.test:" + port + "/");
        assertThat(wrongName.status()).as("a name the certificate lacks").isEqualTo(60);
        // What the VM receives: its instance port (the owner's socket file the balancer reaches it by)
        // answers plain http and fails a TLS handshake, so the https answer above was decrypted before the VM.
        Path vmPort = Path.of(status().path("services").get(0).path("running").get(0).path("workDir").asText())
                .resolve("port-80.sock");
        Cli.Run plain = curl("--unix-socket", vmPort.toString(), "http://web/cgi-bin/hello?from=socket");
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("request: GET /cgi-bin/hello?from=socket");
        Cli.Run tls = curl("-k", "--unix-socket", vmPort.toString(), "https://web/");
        assertThat(tls.status()).as("TLS to the VM itself: " + tls.err()).isEqualTo(35);
        Cli.Run logs = Cli.run(home, "logs", "-f", app.toString(), "web").assertSuccess();
        assertThat(logs.out()).contains("[web] ", "response:200");
    }

    @Test
    @Order(3)
    void theHttpPortRedirectsToTheHttpsPortBound() throws Exception {
        String http = endpoint("18580");
        String https = endpoint("18543");
        Cli.Run head = curl("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://" + http + "/cgi-bin/hello?x=1");
        assertThat(head.out()).isEqualTo("301 https://" + https + "/cgi-bin/hello?x=1");
        Cli.Run followed = curl("-L", "--cacert", ca().toString(), "http://" + http + "/cgi-bin/hello");
        assertThat(followed.status()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("request: GET /cgi-bin/hello");
    }

    @Test
    @Order(4)
    void aNewSupervisorReusesTheCaSoTheTrustedFileStaysGood() throws Exception {
        String before = Files.readString(ca());
        Cli.run(home, "down", "-f", app.toString()).assertSuccess();
        manifest(false);
        Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        assertThat(Files.readString(ca())).isEqualTo(before);
        // redirect_http: false: the http port forwards plain http to the VM.
        Cli.Run plain = curl("http://" + endpoint("18580") + "/cgi-bin/hello");
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("request: GET /cgi-bin/hello");
        Cli.Run page = curl("--cacert", ca().toString(), "https://" + endpoint("18543") + "/cgi-bin/hello");
        assertThat(page.out()).contains("request: GET /cgi-bin/hello");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Cli.run(home, "down", "-f", app.toString());
    }
}
