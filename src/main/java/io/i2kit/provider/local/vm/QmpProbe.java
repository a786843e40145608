package io.i2kit.provider.local.vm;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Asks QEMU over QMP whether the machine runs. QEMU's QMP greeting is no proof: the monitor has an
 * I/O thread of its own and greets while the main thread may still load the kernel (and fail).
 * Commands that are not out-of-band run on the main loop, so an answer to {@code query-status}
 * means every device, the NIC and its forwards were set up.
 */
final class QmpProbe {
    private static final Pattern RUNNING = Pattern.compile("\"status\":\\s*\"running\"");
    private static final byte[] QUERY = ("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-status\"}\n")
            .getBytes(StandardCharsets.US_ASCII);

    private QmpProbe() {
    }

    /** Whether QEMU answered that it runs within {@code patience}; false for no answer yet. */
    static boolean running(Path socket, Duration patience) {
        return exchange(socket, QUERY, patience, received -> RUNNING.matcher(received).find()).isPresent();
    }

    /** The text a human-monitor command printed, e.g. {@code info usernet}; empty without an answer. */
    static Optional<String> humanCommand(Path socket, String command, Duration patience) {
        byte[] request = ("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"human-monitor-command\","
                + "\"arguments\":{\"command-line\":\"" + command + "\"}}\n").getBytes(StandardCharsets.US_ASCII);
        return exchange(socket, request, patience, received -> SlirpConnections.returnText(received.toString()).isPresent())
                .flatMap(SlirpConnections::returnText);
    }

    /** Sends {@code request} and reads until {@code complete} holds for what came back, or patience ends. */
    private static Optional<String> exchange(Path socket, byte[] request, Duration patience,
                                             java.util.function.Predicate<CharSequence> complete) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            StringBuilder received = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + patience.toNanos();
            for (long left = patience.toMillis(); left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                selector.select(left);
                selector.selectedKeys().clear();
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return Optional.empty();
                }
                received.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
                if (complete.test(received)) {
                    return Optional.of(received.toString());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
