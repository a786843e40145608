package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A raw TCP server on 127.0.0.1 whose connections are handled by {@code handler}, one thread each. */
final class TcpBackend implements AutoCloseable {
    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    TcpBackend(Handler handler) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        executor.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    executor.execute(() -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (IOException ignored) {
                            // The peer went away; the test judges from its own side.
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** What QEMU's hostfwd does when nothing listens in the guest: accept, then close. */
    static TcpBackend hostfwdWithNothingInGuest() throws IOException {
        return new TcpBackend(socket -> { });
    }

    /** A server that waits for the client to speak first (a database, say). */
    static TcpBackend silent() throws IOException {
        return new TcpBackend(socket -> {
            socket.setSoTimeout(10_000);
            socket.getInputStream().read();
        });
    }

    /** A server that greets first (SSH, SMTP). */
    static TcpBackend banner() throws IOException {
        return new TcpBackend(socket -> socket.getOutputStream().write("220 hello\r\n".getBytes()));
    }

    /** Reads until the client half-closes, then answers the upper-cased request: needs half-close relayed. */
    static TcpBackend upperCaseAfterEof() throws IOException {
        return new TcpBackend(socket -> {
            socket.setSoTimeout(10_000);
            byte[] request = socket.getInputStream().readAllBytes();
            socket.getOutputStream().write(new String(request).toUpperCase().getBytes());
        });
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
