package io.i2kit.provider.aws.ami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An EBS direct API stand-in on 127.0.0.1 for the uploader's tests: it stores what it is sent
 * and answers from a script of failures per request ({@code PUT 3} for block 3, {@code START},
 * {@code COMPLETE}); an empty script accepts. A failure of status 0 closes the connection unanswered.
 */
final class FakeEbs implements AutoCloseable {
    static final String ACCESS_KEY = "AKIDFAKEEBS";
    static final String SECRET_KEY = "s3cr3t-never-printed";
    static final String SNAPSHOT = "snap-0123456789abcdef0";

    /** One scripted answer: status, {@code x-amzn-ErrorType}, body. */
    record Failure(int status, String errorType, String body) {
    }

    /** One request as received. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<Integer, byte[]> blocks = new ConcurrentHashMap<>();
    private final Map<String, Deque<Failure>> script = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;
    private final long latencyMillis;

    FakeEbs() throws IOException {
        this(0);
    }

    /** @param latencyMillis how long each answer takes, as a round trip to a distant region would */
    FakeEbs(long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The next requests for {@code key} answer these failures, in order. */
    FakeEbs fail(String key, Failure... failures) {
        script.computeIfAbsent(key, k -> new ArrayDeque<>()).addAll(List.of(failures));
        return this;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    EbsDirectClient client() {
        return new EbsDirectClient(endpoint(), "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    List<Received> requests(String method, String pathPrefix) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(method, path, Map.copyOf(exchange.getRequestHeaders()), body));
        String key = method.equals("PUT") ? "PUT " + path.substring(path.lastIndexOf('/') + 1)
                : path.startsWith("/snapshots/completion/") ? "COMPLETE" : "START";
        Failure failure;
        synchronized (script) {
            Deque<Failure> queue = script.get(key);
            failure = queue == null ? null : queue.poll();
        }
        if (failure != null && failure.status() == 0) {
            exchange.close();
            return;
        }
        if (failure != null) {
            if (!failure.errorType().isEmpty()) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", failure.errorType());
            }
            answer(exchange, failure.status(), failure.body());
        } else if (key.equals("START")) {
            answer(exchange, 201, "{\"SnapshotId\":\"" + SNAPSHOT + "\",\"Status\":\"pending\",\"BlockSize\":524288}");
        } else if (key.equals("COMPLETE")) {
            answer(exchange, 202, "{\"Status\":\"pending\"}");
        } else {
            blocks.put(Integer.parseInt(key.substring(4)), body);
            answer(exchange, 201, "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
