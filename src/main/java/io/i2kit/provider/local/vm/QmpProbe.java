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
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(QUERY));
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
                    return false;
                }
                received.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
                if (RUNNING.matcher(received).find()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
