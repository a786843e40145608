package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.InlineManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data of a stateful service survives every kind of VM replacement, with real VMs: a redis
 * keeping its append-only file on a volume counts votes; the count is still there after an update
 * of the service (stop-first), a supervisor killed and taken over, its VM killed (healing, by the
 * new supervisor: the volumes came through the takeover), and {@code down} then {@code up};
 * {@code down --delete-data} then leaves nothing. Four boots in all; the init's console
 * says at each whether it formatted the disk (the first) or found its data (every other).
 *
 * <p>The manifest is this test's own (the polls example's db with a volume, alone, public so the test
 * speaks to it), so that it does not depend on the example's other services and secrets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumesIT {
    private static final Path REDIS = Path.of("examples/images/redis/oci").toAbsolutePath();
    private static final String APP = "votes";
    @TempDir
    static Path dir;
    static Path home;
    static Path app;

    @BeforeAll
    static void bootstrap() {
        home = BootstrappedHome.get().root();
    }

    /** The db alone, its memory the knob an update turns (a change that replaces its VMs, not its image). */
    private static void manifest(int memoryMiB) {
        app = InlineManifest.app(dir.resolve("app"), """
                name: %s
                services:
                  db:
                    public: true
                    resources:
                      memory: %dM
                    volumes:
                      data:
                        size: 64MiB
                    containers:
                      db:
                        image: oci:%s:latest
                        command: [--bind, 0.0.0.0, --protected-mode, "no", --appendonly, "yes", --appendfsync, always,
                                  --dir, /data]
                        ports: ["tcp:6379"]
                        mounts: ["data:/data"]
                """.formatted(APP, memoryMiB, REDIS));
    }

    private static Path volume() {
        return home.resolve("apps").resolve(APP).resolve("volumes/db/r0/data.img");
    }

    @Test
    @Order(1)
    void aNewVolumeIsFormattedAndHoldsTheVotes() throws Exception {
        manifest(100);
        Cli.Run up = Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        assertThat(up.err()).contains("created volume db/r0/data (64 MiB)");
        assertThat(volume()).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume().getParent()))).isEqualTo("rwx------");
        assertThat(console("db-g1-r0")).contains("i2kit: volume data: formatted 64 MiB on vd");
        for (int i = 0; i < 3; i++) {
            redis("INCR", "votes");
        }
        assertThat(redis("GET", "votes")).isEqualTo("3");
    }

    @Test
    @Order(2)
    void anUpdateStopsTheOldVmFirstAndTheNewOneFindsTheVotes() throws Exception {
        manifest(112);
        String plan = Cli.run(home, "plan", "-f", app.toString()).assertSuccess().out();
        assertThat(plan).contains("db", "downtime");
        Cli.Run up = Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        // stop-first: the old VM is gone before the new one is started on its disk
        assertThat(up.err().indexOf("stopped db-g1-r0")).isPositive().isLessThan(up.err().indexOf("starting db-g2-r0"));
        assertThat(up.err()).containsPattern("downtime of replica r0: \\d+\\.\\d s from stopping db-g1-r0 to db-g2-r0 healthy");
        assertThat(console("db-g2-r0")).contains("i2kit: volume data: mounted (existing data) on vd");
        assertThat(redis("GET", "votes")).isEqualTo("3");
        redis("INCR", "votes");
    }

    @Test
    @Order(3)
    void aNewSupervisorAdoptsTheVmWithItsVolumes() throws Exception {
        JsonNode status = status();
        ProcessHandle supervisor = ProcessHandle.of(status.path("supervisorPid").asLong()).orElseThrow();
        long vm = qemuPid();
        supervisor.destroyForcibly();
        supervisor.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Cli.run(home, "up", "-f", app.toString()).assertSuccess().err()).contains("[db] unchanged");
        assertThat(qemuPid()).as("the same VM serves, not restarted").isEqualTo(vm);
        assertThat(redis("GET", "votes")).isEqualTo("4");
    }

    @Test
    @Order(4)
    void aKilledVmIsReplacedOnTheSameDisk() throws Exception {
        long victim = qemuPid();
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode running = null;
        while (System.nanoTime() < deadline) {
            running = status().path("services").get(0).path("running");
            if (running.size() == 1 && running.get(0).path("pid").asLong() != victim
                    && running.get(0).path("health").asText().equals("healthy")) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(running.get(0).path("health").asText()).as("the replacement of the killed VM: %s", running).isEqualTo("healthy");
        assertThat(running.get(0).path("id").asText()).as("the same replica, so the same disk").isEqualTo("db-g2-r0");
        assertThat(redis("GET", "votes")).isEqualTo("4");
        redis("INCR", "votes");
    }

    @Test
    @Order(5)
    void downKeepsTheVolumeAndTheNextUpFindsTheVotes() throws Exception {
        Cli.Run down = Cli.run(home, "down", "-f", app.toString()).assertSuccess();
        assertThat(down.err()).contains("kept volume db/r0/data (64 MiB, ").contains(volume().toString());
        assertThat(volume()).exists();
        assertThat(home.resolve("apps").resolve(APP).resolve("running.json")).doesNotExist();
        Cli.run(home, "up", "-f", app.toString()).assertSuccess();
        assertThat(console("db-g1-r0")).contains("i2kit: volume data: mounted (existing data) on vd");
        assertThat(redis("GET", "votes")).isEqualTo("5");
    }

    @Test
    @Order(6)
    void downDeleteDataLeavesNothing() throws Exception {
        Cli.Run down = Cli.run(home, "down", "-f", app.toString(), "--delete-data").assertSuccess();
        assertThat(down.out()).contains("deleted volume db/r0/data");
        assertThat(down.err()).contains("deleted volume db/r0/data (64 MiB, ").contains(volume().toString());
        assertThat(home.resolve("apps").resolve(APP)).doesNotExist();
    }

    private static JsonNode status() throws Exception {
        return new ObjectMapper().readTree(Cli.run(home, "status", "-f", app.toString(), "--output", "json")
                .assertSuccess().out());
    }

    private static long qemuPid() throws Exception {
        return status().path("services").get(0).path("running").get(0).path("pid").asLong();
    }

    private static String console(String vm) throws IOException {
        return Files.readString(home.resolve("apps").resolve(APP).resolve("vms").resolve(vm).resolve("console.log"));
    }

    /** One redis command over its public load balancer; the reply's value (an integer or a bulk string). */
    private static String redis(String... args) throws Exception {
        String endpoint = status().path("services").get(0).path("endpoints").path("6379").asText();
        int colon = endpoint.lastIndexOf(':');
        StringBuilder command = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            command.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(command.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = line(in);
            if (first.startsWith("$")) {
                return Integer.parseInt(first.substring(1)) < 0 ? "(nil)" : line(in);
            }
            if (first.startsWith("-")) {
                throw new AssertionError("redis answered " + first + " to " + List.of(args));
            }
            return first.substring(1);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (app != null) {
            Cli.run(home, "down", "-f", app.toString(), "--delete-data");
        }
    }
}
