package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.Commands;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's HTTPS path to AWS (usr/lib/i2kit/tls-pipe, run by busybox nc -e as aws.sh does)
 * under this machine's busybox: the request goes through busybox's ssl_client, the answer comes
 * back decrypted, and the server sees the endpoint's name as SNI (an OpenSSL server that refuses
 * every other name with a fatal alert). The certificate is self-signed: busybox does not verify.
 *
 * <p>The server allows SHA-1 handshake signatures ({@code @SECLEVEL=0}): busybox 1.35's ClientHello
 * carries no signature_algorithms extension, so a TLS 1.2 server must sign with rsa_pkcs1_sha1,
 * which OpenSSL 3 refuses by default (docs/aws.md says what that means for AWS's endpoints).
 */
class TlsPipeIT {
    private static final Path PIPE = TestInitrd.INIT_FILES.resolve("usr/lib/i2kit/tls-pipe");
    private static final String NAME = "ec2.eu-west-1.amazonaws.com";

    @TempDir
    Path dir;

    @Test
    void sendsTheRequestThroughTlsWithTheEndpointsNameAsSni() throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Commands.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=" + NAME);
        int port = freePort();
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-key", key.toString(), "-cert", cert.toString(), "-key2", key.toString(), "-cert2", cert.toString(),
                "-servername", NAME, "-servername_fatal", "-www", "-cipher", "DEFAULT:@SECLEVEL=0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            awaitListening(port);
            Path request = Files.writeString(dir.resolve("request"), "GET / HTTP/1.0\r\nHost: " + NAME + "\r\n\r\n");

            Path answer = dir.resolve("answer");
            assertThat(pipe(port, NAME, request, answer)).as("status; the server logged %s",
                    Files.readString(dir.resolve("server.log"))).isZero();
            assertThat(Files.readString(answer, StandardCharsets.UTF_8)).as("the answer, decrypted")
                    .startsWith("HTTP/1.0 200 ok").contains("s_server");

            Path refused = dir.resolve("refused");
            assertThat(pipe(port, "other.example.com", request, refused)).as("another SNI is refused").isNotZero();
            assertThat(Files.exists(refused) ? Files.readString(refused) : "").doesNotContain("200 ok");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private int pipe(int port, String sni, Path request, Path response) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/busybox", "timeout", "30", "/bin/busybox", "nc", "-w", "10",
                "127.0.0.1", String.valueOf(port), "-e", PIPE.toAbsolutePath().toString());
        Map<String, String> env = builder.environment();
        env.put("tls_host", sni);
        env.put("tls_request", request.toString());
        env.put("tls_response", response.toString());
        env.put("PATH", applets().toString()); // busybox's ssl_client, as in the VM
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start().waitFor();
    }

    private Path applets() throws IOException {
        Path bin = dir.resolve("bin");
        if (!Files.isDirectory(bin)) {
            Files.createDirectories(bin);
            for (String applet : List.of("ssl_client")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("/bin/busybox"));
            }
        }
        return bin;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("openssl s_server did not listen on " + port);
    }
}
