package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.local.vm.VmLauncher;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket with clients that misbehave: one silent, one sending an endless line, one
 * sending garbage. None of them stalls a status, and the silent and endless ones are dropped.
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
