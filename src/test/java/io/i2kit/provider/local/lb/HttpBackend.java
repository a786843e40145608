package io.i2kit.provider.local.lb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A VM stand-in: an HTTP server on 127.0.0.1 that answers its name on {@code /}, a settable status on
 * {@code /health}, and on {@code /slow} holds the answer until {@link #release()}.
 */
final class HttpBackend implements AutoCloseable {
    static final int INSTANCE_PORT = 80;

    final String name;
    final AtomicInteger healthStatus = new AtomicInteger(200);
    final AtomicInteger served = new AtomicInteger();
    final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    HttpBackend(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            answer(exchange, 200, name);
        });
        server.createContext("/health", exchange -> answer(exchange, healthStatus.get(), "health"));
        server.createContext("/slow", exchange -> {
            slowEntered.countDown();
            try {
                slowRelease.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, name + " slow");
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    Backend backend() {
        return Backend.tcp(name, Map.of(INSTANCE_PORT, port()));
    }

    void release() {
        slowRelease.countDown();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() throws InterruptedException {
        release();
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
