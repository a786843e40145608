package io.i2kit.provider.local.lb;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Terminates TLS for one https or tls port, as the cloud's balancer does: it completes the
 * handshake with the client and relays the plain bytes to the balancer's plain listener for the
 * same port, on its owner-only Unix socket (the one the application's VMs use). Balancing, holding
 * while no backend serves, draining and health all stay in the relay, so backends see plain
 * http/tcp and the plain path is unchanged.
 *
 * <p>Why blocking sockets and two threads per connection rather than an {@code SSLEngine} inside the
 * relay: the engine's handshake, its buffers and close_notify would weave into every readiness
 * decision of {@link Duplex}, for a developer's machine where a few hundred TLS connections at
 * most are open; {@link SSLSocket} does all of that itself, and the extra Unix-socket hop costs
 * microseconds next to a handshake.
 */
final class TlsTerminator {
    /** A client that connects and never finishes its handshake does not hold a thread forever. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final int BUFFER = 32 * 1024;
    /** TLS 1.3 and 1.2 only, like the policy the cloud balancers use (ELBSecurityPolicy-TLS13-1-2-2021-06). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsTerminator() {
    }

    static BlockingFront.Handler handler(SSLContext context, Endpoint.Unix plain) {
        return (client, threads) -> serve(context, plain, client, threads);
    }

    private static void serve(SSLContext context, Endpoint.Unix plain, Socket client, ExecutorService threads)
            throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(client, null, client.getPort(), true);
        try (tls) {
            tls.setUseClientMode(false);
            tls.setEnabledProtocols(PROTOCOLS);
            tls.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
            tls.startHandshake();
            tls.setSoTimeout(0);
            try (SocketChannel backend = plain.connect()) {
                // Backend to client on another thread; client to backend on this one.
                Future<?> down = threads.submit(() -> {
                    try {
                        toClient(backend, tls.getOutputStream());
                        tls.shutdownOutput(); // close_notify: the response is complete
                    } catch (IOException e) {
                        BlockingFront.quietly(tls);
                    }
                    return null;
                });
                try {
                    toBackend(tls.getInputStream(), backend);
                    backend.shutdownOutput(); // the request is complete; the answer may still come
                } catch (IOException e) {
                    BlockingFront.quietly(backend);
                }
                try {
                    down.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    // The other direction ended with an error; both sockets close below.
                }
            }
        }
    }

    /*
     * The channel is read and written directly, not through Channels.newInputStream/newOutputStream:
     * those streams lock the channel's blocking lock for a whole read, so a write from the other
     * thread would wait for the backend to speak first.
     */
    private static void toBackend(InputStream from, SocketChannel to) throws IOException {
        byte[] bytes = new byte[BUFFER];
        int n;
        while ((n = from.read(bytes)) >= 0) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
            while (buffer.hasRemaining()) {
                to.write(buffer);
            }
        }
    }

    private static void toClient(SocketChannel from, OutputStream to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        while (from.read(buffer) >= 0) {
            to.write(buffer.array(), 0, buffer.position());
            to.flush();
            buffer.clear();
        }
    }
}
