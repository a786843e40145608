package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One client connection relayed to one backend, both ways at once. Each direction has a buffer that
 * bounds how far a fast sender can get ahead of a slow receiver. An EOF is passed on as a half-close
 * (shutdownOutput) once its direction's buffer is flushed, so request/response protocols that close
 * their sending side first still get their answer. Any error closes both sides. Used only on the
 * relay's thread.
 */
final class Duplex {
    private static final int BUFFER = 32 * 1024;

    final SocketChannel client;
    final SocketChannel backend;
    final BackendPool.Member member;
    private final BackendPool pool;
    private final Direction up;
    private final Direction down;
    private SelectionKey clientKey;
    private SelectionKey backendKey;
    private boolean closed;

    Duplex(SocketChannel client, SocketChannel backend, BackendPool.Member member, BackendPool pool) {
        this.client = client;
        this.backend = backend;
        this.member = member;
        this.pool = pool;
        this.up = new Direction(client, backend);
        this.down = new Direction(backend, client);
    }

    /** Called once the backend connection is established. */
    void start(Selector selector, SelectionKey connectedBackendKey) throws IOException {
        backendKey = connectedBackendKey;
        clientKey = client.register(selector, 0, this);
        pump();
    }

    /** Moves whatever can move without blocking, then asks the selector for what is still needed. */
    void pump() throws IOException {
        up.move();
        down.move();
        settle();
    }

    /**
     * Moves only what {@code key}'s readiness allows: a readable client feeds the backend, a readable
     * backend feeds the client, a writable side drains its buffer. Reading the side that was not
     * ready would cost a system call that finds nothing, one per request and direction.
     */
    void ready(SelectionKey key) throws IOException {
        int ops = key.readyOps();
        boolean fromClient = key == clientKey;
        if ((ops & SelectionKey.OP_READ) != 0) {
            (fromClient ? up : down).move();
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            (fromClient ? down : up).move();
        }
        settle();
    }

    private void settle() throws IOException {
        if (up.finished() && down.finished()) {
            close();
            return;
        }
        clientKey.interestOps(up.wantsRead() | down.wantsWrite());
        backendKey.interestOps(down.wantsRead() | up.wantsWrite());
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes both sides; idempotent. The member's connection count drops once. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        quietly(client);
        quietly(backend);
        pool.release(member);
    }

    static void quietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing after an error: nothing left to tell the peer.
        }
    }

    /** One direction: reads {@code from} into the buffer, writes the buffer to {@code to}. */
    private static final class Direction {
        private final SocketChannel from;
        private final SocketChannel to;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        private boolean eof;
        private boolean shut;

        Direction(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }

        void move() throws IOException {
            if (!eof && buffer.hasRemaining() && from.read(buffer) < 0) {
                eof = true;
            }
            if (buffer.position() > 0) {
                buffer.flip();
                to.write(buffer);
                buffer.compact();
            }
            if (eof && buffer.position() == 0 && !shut) {
                shut = true;
                to.shutdownOutput();
            }
        }

        boolean finished() {
            return shut;
        }

        int wantsRead() {
            return !eof && buffer.hasRemaining() ? SelectionKey.OP_READ : 0;
        }

        int wantsWrite() {
            return buffer.position() > 0 ? SelectionKey.OP_WRITE : 0;
        }
    }
}
