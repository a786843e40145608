package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control protocol end to end over the socket, on stand-in VMs: an apply streams its progress
 * and ends with the status or why it failed, status answers, down stops everything and ends the
 * server. A supervisor that answers in another form is named as such, with how to stop it.
 */
class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void applyStatusAndDownOverTheSocket() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir); ControlServer server = new ControlServer(h.paths, h.supervisor)) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(server::serve);
            List<String> progress = new ArrayList<>();

            Status applied = ControlChannel.apply(h.paths.control(), h.web('1', 1, SupervisorHarness.patient()),
                    n -> progress.add(SupervisorHarness.line(n)));

            assertThat(progress).contains("[web] starting web-g1-r0 (111111111111)",
                    "[web] web-g1-r0 is healthy and in the load balancer");
            assertThat(applied.services()).singleElement().satisfies(s -> assertThat(s.running())
                    .extracting(Status.ReplicaStatus::id, Status.ReplicaStatus::health)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("web-g1-r0", "healthy")));
            assertThat(ControlChannel.status(h.paths.control())).isEqualTo(h.supervisor.status());

            h.hypervisor.health(503);
            assertThatThrownBy(() -> ControlChannel.apply(h.paths.control(), h.web('2', 1, SupervisorHarness.impatient()),
                    line -> { })).isInstanceOf(I2kitException.class)
                    .hasMessageStartingWith("the update failed and every service it changed was rolled back:");

            ControlChannel.down(h.paths.control(), line -> { });
            serving.get(10, TimeUnit.SECONDS);
            assertThat(h.hypervisor.events()).endsWith("stop web-g2-r1", "stop web-g1-r0");
        }
    }

    @Test
    void aSupervisorThatAnswersInAnotherFormIsNamedWithHowToStopIt() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel earlier = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            earlier.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (SocketChannel client = earlier.accept()) {
                    Channels.newInputStream(client).read(new byte[4096]);
                    client.write(ByteBuffer.wrap("{\"event\":\"done\",\"ok\":false,\"message\":\"unknown request \\\"\\\"\"}\n"
                            .getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            assertThatThrownBy(() -> ControlChannel.status(socket)).isInstanceOf(I2kitException.class)
                    .hasMessageContaining("answered in a form this i2kit does not read ({\"event\":\"done\"")
                    .hasMessageEndingWith("it may be a supervisor of another i2kit version: i2kit down stops it");
            answered.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSupervisorThatSaysNothingIsGivenUpOnWithWhatToDo() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Bound and listening, never accepting: the kernel queues the client, which then hears nothing.
            hung.bind(UnixDomainSocketAddress.of(socket));

            assertThatThrownBy(() -> ControlChannel.exchange(socket, new ControlRequest.Status(), line -> { },
                    java.time.Duration.ofSeconds(1))).isInstanceOf(I2kitException.class)
                    .hasMessage("the supervisor at " + socket + " sent nothing for 1 s; it may hang: see its log beside"
                            + " the socket (supervisor.log), or stop it with i2kit down");
        }
    }
}
