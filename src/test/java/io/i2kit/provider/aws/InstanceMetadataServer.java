package io.i2kit.provider.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EC2's instance metadata service as an instance whose launch template sets {@code HttpTokens:
 * required} sees it, for tests, on 127.0.0.1: {@code PUT /latest/api/token} with the header
 * {@code X-aws-ec2-metadata-token-ttl-seconds} (1 to 21600) gives a session token;
 * {@code GET /latest/user-data} with {@code X-aws-ec2-metadata-token} gives the user data, as EC2
 * serves it: decoded. What EC2 refuses is refused the same way: a token request without a valid
 * TTL (400), any GET without a valid token (401: IMDSv1 is off), a PUT elsewhere (405), other
 * paths (404). Every request is recorded, in order.
 *
 * <p>Other GET paths (the instance id, the identity document, the role's credentials) answer with
 * what the test gave, under the same token rule.
 *
 * <p>A server made with {@code issueTokens} false answers every token request 403, as IMDS does
 * one that came through a proxy ({@code X-Forwarded-For}): a guest then has no way to the user data.
 */
final class InstanceMetadataServer implements AutoCloseable {
    static final String TOKEN_PATH = "/latest/api/token";
    static final String USER_DATA_PATH = "/latest/user-data";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

    /** One request as received; {@code status} is the answer it got. */
    record Request(String method, String path, Optional<String> ttl, Optional<String> token, int status) {
    }

    private final HttpServer server;
    private final byte[] userData;
    private final Map<String, byte[]> paths;
    private final boolean issueTokens;
    private final SecureRandom random = new SecureRandom();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new ArrayList<>();

    private InstanceMetadataServer(HttpServer server, byte[] userData, Map<String, byte[]> paths, boolean issueTokens) {
        this.server = server;
        this.userData = userData.clone();
        this.paths = Map.copyOf(paths);
        this.issueTokens = issueTokens;
    }

    static InstanceMetadataServer start(byte[] userData, boolean issueTokens) throws IOException {
        return start(userData, Map.of(), issueTokens);
    }

    /** A server that also answers a token-carrying GET of each of {@code paths} with its bytes. */
    static InstanceMetadataServer start(byte[] userData, Map<String, byte[]> paths, boolean issueTokens)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        InstanceMetadataServer imds = new InstanceMetadataServer(server, userData, paths, issueTokens);
        server.createContext("/", imds::handle);
        server.start();
        return imds;
    }

    int port() {
        return server.getAddress().getPort();
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The tokens handed out so far. */
    Set<String> tokens() {
        return Set.copyOf(tokens);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Optional<String> ttl = Optional.ofNullable(exchange.getRequestHeaders().getFirst(TTL_HEADER));
            Optional<String> token = Optional.ofNullable(exchange.getRequestHeaders().getFirst(TOKEN_HEADER));
            byte[] body = new byte[0];
            int status;
            if (method.equals("PUT")) {
                if (!path.equals(TOKEN_PATH)) {
                    status = 405;
                } else if (!issueTokens) {
                    status = 403;
                } else if (ttl.filter(InstanceMetadataServer::validTtl).isEmpty()) {
                    status = 400;
                } else {
                    String issued = newToken();
                    tokens.add(issued);
                    exchange.getResponseHeaders().set(TTL_HEADER, ttl.get());
                    body = issued.getBytes(StandardCharsets.US_ASCII);
                    status = 200;
                }
            } else if (method.equals("GET")) {
                if (token.filter(tokens::contains).isEmpty()) {
                    status = 401;
                } else if (path.equals(USER_DATA_PATH)) {
                    body = userData;
                    status = 200;
                } else if (paths.containsKey(path)) {
                    body = paths.get(path);
                    status = 200;
                } else {
                    status = 404;
                }
            } else {
                status = 405;
            }
            synchronized (this) {
                requests.add(new Request(method, path, ttl, token, status));
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static boolean validTtl(String ttl) {
        try {
            int seconds = Integer.parseInt(ttl.trim());
            return seconds >= 1 && seconds <= 21_600;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Shaped like EC2's: 56 characters of URL-safe base64. */
    private String newToken() {
        byte[] bytes = new byte[42];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
