package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret set to a random marker reaches the container, as its environment variable and as
 * {@code /run/secrets/NAME} (0400, the container's user's), and nowhere else: not in
 * {@code $I2KIT_HOME} (state, logs, consoles, images and caches, gzip files decompressed) apart
 * from the store itself, not in the rendered LinuxKit YAML, not in anything the CLI printed. The
 * container proves it saw the value by printing its SHA-256. A new version replaces the VM and
 * leaves the image as it was. Two boots in all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsMarkerIT {
    private static final String SECRET = "smk-token";
    private static final Pattern PROOF = Pattern.compile("\\[(?:app|probe)] proof (\\w+) (.*)");
    @TempDir
    static Path dir;
    static Path home;
    static Path app;
    /** Every stdout and stderr of the CLI, to grep at the end. */
    static final List<String> printed = new ArrayList<>();
    static final List<byte[]> markers = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        home = BootstrappedHome.get().root();
        app = Files.createDirectories(dir.resolve("smk"));
        String web = "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest";
        // app reads the secret as uid 1000; probe, root without secrets, looks for ways around
        Files.writeString(app.resolve("i2kit.yml"), """
                name: smk
                services:
                  app:
                    resources: {memory: 128M}
                    containers:
                      app:
                        image: %1$s
                        user: "1000:1000"
                        secrets: {APP_TOKEN: smk-token}
                        command:
                          - /bin/sh
                          - -c
                          - |
                            echo "proof env $(printf %%s "$APP_TOKEN" | sha256sum | cut -d' ' -f1)"
                            echo "proof file $(sha256sum </run/secrets/smk-token | cut -d' ' -f1)"
                            echo "proof mode $(stat -c '%%a %%u' /run/secrets/smk-token)"
                            exec sleep 100000
                      probe:
                        image: %1$s
                        command:
                          - /bin/sh
                          - -c
                          - |
                            cat /sys/firmware/qemu_fw_cfg/by_name/opt/i2kit/secrets/raw >/dev/null 2>&1 && echo "proof fwcfg readable" || echo "proof fwcfg unreadable"
                            ls /run/i2kit /run/secrets 2>/dev/null | grep -q . && echo "proof run visible" || echo "proof run absent"
                            exec sleep 100000
                """.formatted(web));
    }

    private static Cli.Run cli(String... args) throws Exception {
        Cli.Run run = Cli.run(home, args);
        printed.add(run.out());
        printed.add(run.err());
        return run;
    }

    private static Cli.Run set(String value) throws Exception {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        markers.add(bytes);
        // a trailing newline, as echo gives it: dropped
        Cli.Run run = Cli.runWithInput(home, (value + "\n").getBytes(StandardCharsets.UTF_8), "secret", "set", "-f",
                app.toString(), SECRET).assertSuccess();
        printed.add(run.out());
        printed.add(run.err());
        return run;
    }

    private static String marker() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return "marker-" + HexFormat.of().formatHex(random) + " \"quoted\" & é";
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The proof lines of the VM's console, once all five are there (the container starts after the boot). */
    private static java.util.Map<String, String> proofs() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (true) {
            Cli.Run logs = cli("logs", "-f", app.toString(), "app").assertSuccess();
            java.util.Map<String, String> found = new java.util.TreeMap<>();
            for (String line : logs.out().split("\n")) {
                Matcher m = PROOF.matcher(line);
                if (m.find()) {
                    found.put(m.group(1), m.group(2).trim());
                }
            }
            if (found.size() == 5) {
                assertThat(logs.out()).contains("i2kit: secrets: 1 read (smk-token)",
                        "i2kit: secrets: in place for app (fw_cfg driver unloaded)");
                return found;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no proof from the containers in 4 minutes; logs:\n" + logs.out());
            }
            Thread.sleep(2000);
        }
    }

    @Test
    @Order(1)
    void planAndUpRefuseAnUnsetSecretBeforeAnything() throws Exception {
        for (String command : List.of("plan", "up")) {
            Cli.Run run = cli(command, "-f", app.toString());
            assertThat(run.status()).as(command).isEqualTo(2);
            assertThat(run.err()).contains("error: secret smk-token is not set (read by service app); set it with: "
                    + "i2kit secret set -f " + app + " smk-token");
        }
        assertThat(LocalSecretStoreDir.vms(home)).as("nothing started").doesNotExist();
    }

    @Test
    @Order(2)
    void theContainerSeesTheValueAsEnvironmentAndFile() throws Exception {
        String value = marker();
        assertThat(set(value).out()).isEqualTo("secret smk-token of smk: version 1\n");
        assertThat(cli("secret", "list", "-f", app.toString()).assertSuccess().out()).contains("smk-token", " 1  ");
        var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                cli("secret", "list", "-f", app.toString(), "--output", "json").assertSuccess().out());
        assertThat(listed.path("application").asText()).isEqualTo("smk");
        assertThat(listed.path("secrets").get(0).path("name").asText()).isEqualTo(SECRET);
        assertThat(listed.path("secrets").get(0).path("version").asLong()).isEqualTo(1);
        assertThat(java.time.Instant.parse(listed.path("secrets").get(0).path("updated").asText()))
                .isBetween(Instant.now().minusSeconds(600), Instant.now());
        assertThat(cli("plan", "-f", app.toString()).assertSuccess().out()).contains("create", "app");
        cli("up", "-f", app.toString()).assertSuccess();

        java.util.Map<String, String> proofs = proofs();
        assertThat(proofs.get("env")).isEqualTo(sha256(value));
        assertThat(proofs.get("file")).isEqualTo(sha256(value));
        assertThat(proofs.get("mode")).isEqualTo("400 1000");
        assertThat(proofs.get("fwcfg")).isEqualTo("unreadable");
        assertThat(proofs.get("run")).isEqualTo("absent");
        assertThat(Files.list(LocalSecretStoreDir.vms(home)).filter(d -> Files.exists(d.resolve("secrets.json"))))
                .as("the values' file is gone once QEMU started").isEmpty();
        cli("status", "-f", app.toString()).assertSuccess();
    }

    @Test
    @Order(3)
    void aNewVersionReplacesTheVmAndKeepsTheImage() throws Exception {
        String image = imageOf(cli("status", "-f", app.toString(), "--output", "json").assertSuccess().out());
        String value = marker();
        assertThat(set(value).out()).isEqualTo("secret smk-token of smk: version 2\n");

        String plan = cli("plan", "-f", app.toString()).assertSuccess().out();
        assertThat(plan).contains("update", "secret smk-token v1 -> v2");
        cli("up", "-f", app.toString()).assertSuccess();
        assertThat(imageOf(cli("status", "-f", app.toString(), "--output", "json").assertSuccess().out())).isEqualTo(image);

        java.util.Map<String, String> proofs = proofs();
        assertThat(proofs.get("env")).isEqualTo(sha256(value));
        assertThat(proofs.get("file")).isEqualTo(sha256(value));
    }

    @Test
    @Order(4)
    void theMarkersAreNowhereElse() throws Exception {
        Path rendered = dir.resolve("rendered");
        cli("render", "-f", app.toString(), "--out", rendered.toString()).assertSuccess();
        Path store = LocalSecretStoreDir.of(home).resolve("smk").resolve("secrets");
        List<String> found = new ArrayList<>();
        for (Path root : List.of(home, rendered)) {
            try (var walk = Files.walk(root)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    if (!f.startsWith(store)) {
                        contains(f).ifPresent(found::add);
                    }
                }
            }
        }
        for (String text : printed) {
            for (byte[] m : markers) {
                if (text.contains(new String(m, StandardCharsets.UTF_8))) {
                    found.add("the CLI's output: " + text);
                }
            }
        }
        assertThat(found).isEmpty();
        assertThat(contains(store.resolve(SECRET))).as("the store holds the value: the search works").isPresent();
    }

    /** Whether {@code file} holds a marker, as it is or, for a gzip file, decompressed. */
    private static java.util.Optional<String> contains(Path file) throws IOException {
        for (byte[] m : markers) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                in.mark(2);
                boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
                in.reset();
                if (holds(in, m)) {
                    return java.util.Optional.of(file.toString());
                }
                if (gzip) {
                    try (InputStream z = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
                        if (holds(z, m)) {
                            return java.util.Optional.of(file + " (decompressed)");
                        }
                    } catch (IOException e) {
                        // not gzip after all
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** A streaming search: a window of the marker's length slides over the bytes. */
    private static boolean holds(InputStream in, byte[] marker) throws IOException {
        byte[] buffer = new byte[1 << 16];
        byte[] carry = new byte[0];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            byte[] window = new byte[carry.length + n];
            System.arraycopy(carry, 0, window, 0, carry.length);
            System.arraycopy(buffer, 0, window, carry.length, n);
            for (int i = 0; i + marker.length <= window.length; i++) {
                if (window[i] == marker[0] && java.util.Arrays.equals(window, i, i + marker.length, marker, 0, marker.length)) {
                    return true;
                }
            }
            carry = java.util.Arrays.copyOfRange(window, Math.max(0, window.length - marker.length + 1), window.length);
        }
        return false;
    }

    private static String imageOf(String statusJson) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(statusJson).path("services").get(0)
                .path("image").asText();
    }

    @AfterAll
    static void down() throws Exception {
        Cli.Run run = Cli.run(home, "down", "-f", app.toString());
        Cli.run(home, "secret", "rm", "-f", app.toString(), SECRET);
        assertThat(run.err()).contains("kept 1 secret in");
    }

    /** Where the local provider keeps an application's files. */
    private static final class LocalSecretStoreDir {
        static Path of(Path home) {
            return home.resolve("apps");
        }

        static Path vms(Path home) {
            return home.resolve("apps/smk/vms");
        }
    }
}
