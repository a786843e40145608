package io.i2kit.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A token service of the kind Docker Hub runs, for a test registry configured with {@code auth.token}:
 * it issues RS256 JWTs signed with a self-signed key made by the JDK's keytool, the certificate
 * travelling in the {@code x5c} header and written to the registry's {@code rootcertbundle}.
 * The known user gets every action asked for; anonymous callers may pull repositories under
 * {@code public/} only; a wrong password gets 401.
 */
public final class TokenIssuer implements AutoCloseable {
    public static final String SERVICE = "i2kit-test-registry";
    public static final String ISSUER = "i2kit-test-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpServer server;
    private final PrivateKey key;
    private final byte[] certificate;
    private final Path certificateFile;
    private final String user;
    private final String password;
    private final List<String> requests = new ArrayList<>();

    private TokenIssuer(HttpServer server, PrivateKey key, byte[] certificate, Path certificateFile, String user,
                        String password) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
        this.user = user;
        this.password = password;
    }

    public static TokenIssuer start(Path dir, String user, String password) throws Exception {
        Path keystore = dir.resolve("token.p12");
        Commands.run("keytool", "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=i2kit test token issuer", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("token", "changeit".toCharArray());
        Certificate cert = ks.getCertificate("token");
        Path pem = dir.resolve("token.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TokenIssuer issuer = new TokenIssuer(server, key, cert.getEncoded(), pem, user, password);
        server.createContext("/token", issuer::handle);
        server.start();
        return issuer;
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public Path certificateFile() {
        return certificateFile;
    }

    /** The query strings received, to check what clients asked for. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            synchronized (this) {
                requests.add(query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8));
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean known = false;
            if (authorization != null) {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())),
                        StandardCharsets.UTF_8);
                if (!decoded.equals(user + ":" + password)) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                known = true;
            }
            ArrayNode access = JSON.createArrayNode();
            for (String param : query == null ? new String[0] : query.split("&")) {
                if (!param.startsWith("scope=")) {
                    continue;
                }
                String scope = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8);
                String type = scope.substring(0, scope.indexOf(':'));
                String name = scope.substring(scope.indexOf(':') + 1, scope.lastIndexOf(':'));
                ObjectNode grant = access.addObject().put("type", type).put("name", name);
                ArrayNode actions = grant.putArray("actions");
                for (String action : scope.substring(scope.lastIndexOf(':') + 1).split(",")) {
                    if (known || (action.equals("pull") && name.startsWith("public/"))) {
                        actions.add(action);
                    }
                }
            }
            String token = jwt(known ? user : "", access);
            byte[] body = JSON.createObjectNode().put("token", token).put("access_token", token).put("expires_in", 300)
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(String subject, ArrayNode access) throws Exception {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate));
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        claims.set("access", access);
        String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(rsa.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
