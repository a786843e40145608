package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads newline-terminated lines from a control socket with a limit on their length and on how long
 * the peer may stay silent, so that a client that sends too much, or nothing, never holds a thread
 * of the supervisor (or a CLI waiting on a supervisor that hangs) for ever.
 */
final class ControlLines implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final int maxBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ControlLines(SocketChannel channel, int maxBytes) throws IOException {
        this.channel = channel;
        this.maxBytes = maxBytes;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        buffer.flip();
    }

    /** The next line; empty at the end of the stream. Fails when the peer is silent for {@code idle}. */
    Optional<String> next(Duration idle) throws IOException {
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    return Optional.of(text);
                }
                if (line.size() >= maxBytes) {
                    throw new I2kitException("a control message is longer than " + maxBytes + " bytes");
                }
                line.write(b);
            }
            buffer.clear();
            if (selector.select(Math.max(1, idle.toMillis())) == 0) {
                throw new ControlTimeout(idle);
            }
            selector.selectedKeys().clear();
            int n = channel.read(buffer);
            buffer.flip();
            if (n < 0) {
                return Optional.empty();
            }
        }
    }

    /** Writes one line, blocking until it is sent (a reader that stopped reading fails it after {@code idle}). */
    void write(String text, Duration idle) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        try (Selector writes = Selector.open()) {
            channel.register(writes, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                if (channel.write(out) == 0 && writes.select(Math.max(1, idle.toMillis())) == 0) {
                    throw new ControlTimeout(idle);
                }
                writes.selectedKeys().clear();
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    /** The peer said nothing for too long. */
    static final class ControlTimeout extends IOException {
        ControlTimeout(Duration idle) {
            super("no answer within " + idle.toSeconds() + " s");
        }
    }
}
