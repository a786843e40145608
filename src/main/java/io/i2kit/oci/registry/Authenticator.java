package io.i2kit.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Answers a registry's challenge with an {@code Authorization} header: for {@code Bearer}, a token
 * from the realm named in the challenge (anonymous, or with the user's basic credentials, as Docker
 * does); for {@code Basic}, the credentials themselves.
 */
final class Authenticator {
    private final RegistryClient client;
    private final String host;
    private final Optional<RegistryCredentials> credentials;
    private final boolean insecure;

    /** @param insecure the registry is listed as insecure: then, and only then, may its token realm be http */
    Authenticator(RegistryClient client, String host, Optional<RegistryCredentials> credentials, boolean insecure) {
        this.client = client;
        this.host = host;
        this.credentials = credentials;
        this.insecure = insecure;
    }

    String authorize(AuthChallenge challenge, String scope) {
        return switch (challenge.scheme()) {
            case "bearer" -> "Bearer " + token(challenge, scope);
            case "basic" -> credentials.map(RegistryCredentials::basicHeader).orElseThrow(() ->
                    new RegistryUnauthorizedException("the registry " + host + " asks for a user name and password "
                            + "and none is known for it; log in with docker login " + host + " (i2kit reads "
                            + "$DOCKER_CONFIG/config.json, default ~/.docker/config.json)"));
            default -> throw new RegistryUnauthorizedException("the registry " + host + " asks for \"" + challenge.scheme()
                    + "\" authentication, which i2kit does not support (it supports Bearer and Basic)");
        };
    }

    private String token(AuthChallenge challenge, String scope) {
        String realm = challenge.parameter("realm").orElseThrow(() -> new RegistryUnauthorizedException(
                "the registry " + host + " asks for a token but names no realm to get one from"));
        StringBuilder query = new StringBuilder();
        challenge.parameter("service").ifPresent(s -> query.append("service=").append(encode(s)));
        String wanted = challenge.parameter("scope").orElse(scope);
        query.append(query.length() > 0 ? "&" : "").append("scope=").append(encode(wanted));
        URI uri;
        try {
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        } catch (IllegalArgumentException e) {
            throw new RegistryUnauthorizedException("the registry " + host + " names an invalid token realm \""
                    + realm + "\"");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new RegistryUnauthorizedException("the registry " + host + " names a token realm that is not HTTP: " + realm);
        }
        if (uri.getScheme().equals("http") && !insecure) {
            // The token, and the user's password when there is one, would cross the network in the clear.
            throw new RegistryUnauthorizedException("the registry " + host + " names a token realm over plain http ("
                    + realm + "); i2kit asks for tokens over https only, unless the registry is listed in "
                    + RegistrySettings.INSECURE_ENV);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(RegistryClient.TIMEOUT);
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        HttpResponse<InputStream> response = client.exchange(request.build(), "get a token from " + realm);
        try (InputStream body = response.body()) {
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new RegistryUnauthorizedException("the token service " + realm + " of " + host + " refused "
                        + credentials.map(RegistryCredentials::toString).orElse("an anonymous request") + " for "
                        + wanted + " (HTTP " + response.statusCode() + "); "
                        + (credentials.isPresent() ? "check the login (docker login " + host + ")"
                        : "log in with docker login " + host));
            }
            if (response.statusCode() != 200) {
                throw new I2kitException("cannot get a token from " + realm + " for " + host + ": HTTP "
                        + response.statusCode() + "; try again later");
            }
            JsonNode json = new ObjectMapper().readTree(body.readNBytes(1 << 20));
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new I2kitException("the token service " + realm + " of " + host + " answered without a token");
            }
            return token;
        } catch (IOException e) {
            throw new I2kitException("cannot read the token answer of " + realm + " for " + host + ": " + e.getMessage(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
