package io.i2kit.provider.local.lb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A test client that works over TCP and Unix sockets alike and never waits past its timeout. */
final class Client {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Client() {
    }

    /** GET {@code path}; returns the body, or "" when the connection closed without an answer. */
    static String get(Endpoint endpoint, String path) {
        String answer = exchange(endpoint, ("GET " + path + " HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n").getBytes(), false);
        int body = answer.indexOf("\r\n\r\n");
        return body < 0 ? "" : answer.substring(body + 4);
    }

    /** Sends {@code request} (half-closing after it when asked) and reads until EOF. */
    static String exchange(Endpoint endpoint, byte[] request, boolean halfClose) {
        try (SocketChannel channel = endpoint.connect()) {
            channel.write(ByteBuffer.wrap(request));
            if (halfClose) {
                channel.shutdownOutput();
            }
            return readAll(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until EOF; a reset counts as the end too, since the balancer closes on errors. */
    static String readAll(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("no EOF within " + TIMEOUT.toSeconds() + " s");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int n;
                try {
                    n = channel.read(buffer);
                } catch (IOException reset) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                received.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
