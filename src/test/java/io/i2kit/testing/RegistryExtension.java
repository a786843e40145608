package io.i2kit.testing;

import io.i2kit.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real registry for integration tests: Debian's {@code docker-registry} (distribution v2) on a
 * free loopback port, storing in a temporary directory, started before the class's tests and
 * killed after them (and by a shutdown hook, should the JVM end first). Optionally protected by
 * basic auth (an htpasswd file) or token auth (a {@link TokenIssuer} started beside it).
 *
 * <pre>{@code @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.open();}</pre>
 */
public final class RegistryExtension implements BeforeAllCallback, AfterAllCallback {
    private enum Auth { NONE, BASIC, TOKEN }

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Auth auth;
    private final String user;
    private final String password;
    private Path dir;
    private int port;
    private Process process;
    private Thread reaper;
    private TokenIssuer issuer;

    private RegistryExtension(Auth auth, String user, String password) {
        this.auth = auth;
        this.user = user;
        this.password = password;
    }

    /** Anyone may push and pull. */
    public static RegistryExtension open() {
        return new RegistryExtension(Auth.NONE, null, null);
    }

    /** Only {@code user} may push and pull, with HTTP basic auth (bcrypt htpasswd file). */
    public static RegistryExtension basicAuth(String user, String password) {
        return new RegistryExtension(Auth.BASIC, user, password);
    }

    /** Bearer tokens from a {@link TokenIssuer}: {@code user} may do anything, anonymous may pull {@code public/…}. */
    public static RegistryExtension tokenAuth(String user, String password) {
        return new RegistryExtension(Auth.TOKEN, user, password);
    }

    /** {@code 127.0.0.1:PORT}, as written in image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public Optional<TokenIssuer> tokenIssuer() {
        return Optional.ofNullable(issuer);
    }

    /** Pushes {@code oci:layout:tag} as {@code host()/target} with skopeo; extra skopeo options first. */
    public void push(Path layout, String tag, String target, String... options) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                "--dest-tls-verify=false"));
        if (user != null) {
            cmd.add("--dest-creds=" + user + ":" + password);
        }
        cmd.addAll(List.of(options));
        cmd.add("oci:" + layout + ":" + tag);
        cmd.add("docker://" + host() + "/" + target);
        Commands.run(cmd.toArray(String[]::new));
    }

    /** The file in the registry's storage that holds a blob, to tamper with it. */
    public Path blobFile(Digest digest) {
        return dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex()).resolve("data");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("i2kit-registry-");
        port = freePort();
        StringBuilder config = new StringBuilder("""
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        if (auth == Auth.BASIC) {
            String line = Commands.run("htpasswd", "-Bbn", user, password).trim();
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            config.append("auth:\n  htpasswd:\n    realm: i2kit-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
        } else if (auth == Auth.TOKEN) {
            issuer = TokenIssuer.start(dir, user, password);
            config.append("auth:\n  token:\n    realm: ").append(issuer.realm())
                    .append("\n    service: ").append(TokenIssuer.SERVICE)
                    .append("\n    issuer: ").append(TokenIssuer.ISSUER)
                    .append("\n    rootcertbundle: ").append(issuer.certificateFile()).append('\n');
        }
        Path configFile = Files.writeString(dir.resolve("config.yml"), config);
        Path log = dir.resolve("registry.log");
        process = new ProcessBuilder("docker-registry", "serve", configFile.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        reaper = new Thread(process::destroyForcibly, "registry-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            awaitReady(log);
        } catch (Throwable e) {
            afterAll(context);
            throw e;
        }
    }

    /** Ready when {@code /v2/} answers at all (401 counts: the registry is up and asks for auth). */
    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).timeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                int status = http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("docker-registry did not answer on " + host() + " within " + STARTUP.toSeconds()
                + " s:\n" + Files.readString(log));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Runtime.getRuntime().removeShutdownHook(reaper);
            process = null;
        }
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            dir = null;
        }
    }

    /** A port free now; the registry binds it a moment later (a race other tests on this machine rarely win). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
