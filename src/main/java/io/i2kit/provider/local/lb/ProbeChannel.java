package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One probe's connection to a backend endpoint, TCP or Unix socket, where every step waits only
 * until the probe's deadline: Unix-socket channels have no socket timeouts, so a selector does it.
 */
final class ProbeChannel implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final long deadline;

    private ProbeChannel(SocketChannel channel, Selector selector, long deadline) {
        this.channel = channel;
        this.selector = selector;
        this.deadline = deadline;
    }

    /** Connects before {@code deadline} ({@link System#nanoTime}), or fails with a timeout. */
    static ProbeChannel open(Endpoint target, long deadline) throws IOException {
        SocketChannel channel = SocketChannel.open(target.address() instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            ProbeChannel probe = new ProbeChannel(channel, selector, deadline);
            if (!channel.connect(target.address())) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) {
                    probe.await(key, deadline);
                }
                key.interestOps(0);
            }
            return probe;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        SelectionKey key = key();
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                key.interestOps(SelectionKey.OP_WRITE);
                await(key, deadline);
            }
        }
    }

    /**
     * One byte, waiting until {@code until} at most: the byte, -1 at the end of the stream, or -2
     * if nothing came by then.
     */
    int read(long until) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        long end = Math.min(until, deadline);
        SelectionKey key = key();
        while (true) {
            int n = channel.read(one);
            if (n != 0) {
                return n < 0 ? -1 : one.get(0) & 0xff;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return -2;
            }
            key.interestOps(SelectionKey.OP_READ);
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        }
    }

    private SelectionKey key() throws IOException {
        SelectionKey key = channel.keyFor(selector);
        return key != null ? key : channel.register(selector, 0);
    }

    private void await(SelectionKey key, long until) throws IOException {
        long left = until - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
