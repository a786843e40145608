package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener whose connections are served by blocking threads rather than by the relay's selector:
 * the TLS terminator and the http-to-https redirect. Both do work the relay's byte shuffling has no
 * place for (a handshake, parsing a request), and neither is on the plain path the lb benchmark
 * measures. Closing it stops accepting and closes every connection it still serves.
 */
final class BlockingFront implements AutoCloseable {
    /** Serves one accepted connection on a thread of its own; {@code threads} may run more work for it. */
    interface Handler {
        void serve(Socket client, ExecutorService threads) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Handler handler;
    private final ExecutorService threads;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    BlockingFront(String name, ServerSocketChannel server, Handler handler) throws IOException {
        this.server = server;
        this.handler = handler;
        server.configureBlocking(true);
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // a client gone before accept, or out of descriptors: the listener stays usable
            }
            Socket client = channel.socket();
            open.add(client);
            try {
                threads.execute(() -> {
                    try {
                        client.setTcpNoDelay(true);
                        handler.serve(client, threads);
                    } catch (IOException | RuntimeException e) {
                        // The peer went away or spoke nonsense: the connection ends, the listener goes on.
                    } finally {
                        quietly(client);
                        open.remove(client);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                quietly(client);
                open.remove(client);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing on the way out.
        }
        open.forEach(BlockingFront::quietly);
        threads.shutdownNow();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing after an error or at the end: nothing left to tell the peer.
        }
    }
}
