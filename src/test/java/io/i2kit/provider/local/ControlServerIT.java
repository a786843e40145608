package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.provider.local.vm.VmLauncher;
import io.i2kit.testing.Cli;
import io.i2kit.testing.OtherUser;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket with clients that misbehave: one silent, one sending an endless line, one
 * sending garbage. None of them stalls a status, and the silent and endless ones are dropped. And
 * with clients of other users: only the supervisor's own uid is served.
 */
class ControlServerIT {
    @TempDir
    Path dir;

    @Test
    void misbehavingClientsNeverStallOthersAndAreDropped() throws Exception {
        AppPaths paths = new AppPaths(Files.createDirectories(dir.resolve("app")));
        Supervisor supervisor = new Supervisor(paths, VmLauncher.create(), line -> { });
        try (ControlServer server = new ControlServer(paths, supervisor)) {
            Thread serving = new Thread(server::serve);
            serving.setDaemon(true);
            serving.start();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.control()))).isEqualTo("rw-------");

            SocketChannel silent = connect(paths);
            SocketChannel endless = connect(paths);
            CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> {
                ByteBuffer chunk = ByteBuffer.wrap(new byte[1 << 20]);
                long sent = 0;
                try {
                    for (int i = 0; i < 64; i++) {
                        chunk.clear();
                        while (chunk.hasRemaining()) {
                            sent += endless.write(chunk);
                        }
                    }
                } catch (IOException e) {
                    // the server dropped it: what is expected once the line passes the limit
                }
                return sent;
            });

            assertThat(ControlChannel.status(paths.control()).supervisorPid()).as("status while a client is silent and another floods")
                    .isEqualTo(ProcessHandle.current().pid());

            assertThat(exchange(paths, "{not json\n")).startsWith("{\"type\":\"failed\"").contains("malformed request");
            assertThat(exchange(paths, "{\"type\":\"reboot\"}\n")).startsWith("{\"type\":\"failed\"")
                    .contains("unknown request \\\"reboot\\\"");
            assertThat(exchange(paths, "{\"op\":\"status\"}\n")).as("a request of an earlier i2kit")
                    .startsWith("{\"type\":\"failed\"").contains("a request without a type");

            assertThat(flood.get(60, TimeUnit.SECONDS)).as("bytes the flooder got to send")
                    .isLessThan(64L << 20);
            assertThat(readToEnd(silent)).as("what the silent client got before it was dropped").isEmpty();
            silent.close();
            endless.close();
            assertThat(ControlChannel.status(paths.control()).supervisorPid()).isEqualTo(ProcessHandle.current().pid());
        } finally {
            supervisor.close();
        }
    }

    /**
     * A supervisor run by a uid without a passwd entry (its JVM's user.name is "?", while the kernel
     * names the peer by number: a check by name refused even the owner) serves that uid, and refuses
     * another user's client that got through loosened modes, and root, which any mode lets through.
     */
    @Test
    void onlyClientsOfTheSupervisorsOwnUidAreServed() throws Exception {
        OtherUser owner = OtherUser.free(61100);
        OtherUser stranger = OtherUser.free(owner.uid() + 1);
        Path home = owner.ownedDirectory("i2kit-peer");
        AppPaths paths = new AppPaths(home.resolve("apps").resolve("peer"));
        try {
            Process supervisor = new ProcessBuilder(owner.command(java(), "-cp", Cli.JAR.toString(),
                    SupervisorMain.class.getName(), SupervisorMain.ARGUMENT, "--state", paths.root().toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("supervisor.out").toFile()).start();
            awaitSocket(paths, supervisor);

            assertThat(client(owner, "status", paths)).as("status asked by the owner")
                    .isEqualTo(new Reply(0, Long.toString(supervisor.pid())));

            // As if a mistake had opened the modes: the uid check is what stays.
            for (Path p : List.of(home, home.resolve("apps"), paths.root())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Files.setPosixFilePermissions(paths.control(), PosixFilePermissions.fromString("rw-rw-rw-"));
            String refused = "this supervisor runs as uid " + owner.uid() + " and serves only that user; the client runs as user ";
            assertThat(client(stranger, "status", paths)).as("status asked by another user")
                    .isEqualTo(new Reply(1, refused + stranger.uid()));
            assertThatThrownBy(() -> ControlChannel.status(paths.control())).as("status asked by root")
                    .isInstanceOf(I2kitException.class).hasMessage(refused + "root");
            assertThat(client(stranger, "down", paths).status()).as("down asked by another user").isEqualTo(1);
            assertThat(supervisor.isAlive()).as("the supervisor after another user's down").isTrue();

            assertThat(client(owner, "down", paths)).as("down asked by the owner").isEqualTo(new Reply(0, "stopped"));
            assertThat(supervisor.waitFor(30, TimeUnit.SECONDS)).as("the supervisor ended after down").isTrue();
        } finally {
            owner.killAll();
            stranger.killAll();
            OtherUser.delete(home);
        }
    }

    private record Reply(int status, String out) {
    }

    /** {@code ControlClient} (the CLI's client code) in a process of {@code user}'s. */
    private static Reply client(OtherUser user, String request, AppPaths paths) throws Exception {
        String classpath = Cli.JAR + ":" + Path.of("target/test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(user.command(java(), "-cp", classpath, ControlClient.class.getName(), request,
                paths.control().toString())).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the client ended").isTrue();
        return new Reply(p.exitValue(), out);
    }

    private static void awaitSocket(AppPaths paths, Process supervisor) throws Exception {
        for (int i = 0; i < 600 && !Files.exists(paths.control()); i++) {
            assertThat(supervisor.isAlive()).as("the supervisor runs; its log:\n%s", LocalProvider.tail(paths.log(), 20))
                    .isTrue();
            Thread.sleep(100);
        }
        assertThat(paths.control()).exists();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static SocketChannel connect(AppPaths paths) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(paths.control()));
        return channel;
    }

    private static String exchange(AppPaths paths, String request) throws IOException {
        try (SocketChannel channel = connect(paths)) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            return readToEnd(channel);
        }
    }

    /** Everything until the server closes the connection (within the server's request timeout). */
    private static String readToEnd(SocketChannel channel) throws IOException {
        return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    }
}
