package io.i2kit.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The HTTP conversation with one registry: its base URL, authentication on a 401 (tokens are kept
 * per scope for the client's life), redirects, and transport errors turned into messages that say
 * which registry could not be reached and why. Endpoint classes build on {@link #get}.
 */
final class RegistryClient {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final String host;
    private final URI base;
    private final Authenticator authenticator;
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    RegistryClient(String host, RegistrySettings settings, HttpClient http) {
        this.http = http;
        this.host = host;
        String endpoint = host.equals("docker.io") ? "registry-1.docker.io" : host;
        this.base = URI.create((settings.insecure(host) ? "http://" : "https://") + endpoint);
        this.authenticator = new Authenticator(this, host, settings.logins().forHost(host), settings.insecure(host));
    }

    static HttpClient newHttpClient() {
        // Redirects are followed by hand so that credentials never travel to another host.
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(20))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    String host() {
        return host;
    }

    /**
     * GETs {@code path} under {@code /v2/}, authenticating for {@code scope} when challenged. The
     * answer may have any status but 401 and 403, which become {@link RegistryUnauthorizedException};
     * the caller closes its body.
     */
    HttpResponse<InputStream> get(String path, String accept, String scope, String what) {
        URI uri = base.resolve("/v2/" + path);
        HttpResponse<InputStream> response = exchange(request(uri, accept, authorizations.get(scope)), what);
        if (response.statusCode() == 401) {
            List<AuthChallenge> challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
            close(response);
            if (challenges.isEmpty()) {
                throw new RegistryUnauthorizedException("cannot " + what + ": the registry " + host
                        + " refused the request (HTTP 401) without saying how to authenticate");
            }
            String authorization = authenticator.authorize(challenges.get(0), scope);
            authorizations.put(scope, authorization);
            response = exchange(request(uri, accept, authorization), what);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            String detail = errors(response);
            throw new RegistryUnauthorizedException("cannot " + what + ": the registry " + host + " denied access (HTTP "
                    + response.statusCode() + (detail.isEmpty() ? "" : ", " + detail) + "); check that the image exists "
                    + "and that your login for " + host + " may pull it (docker login " + host + ")");
        }
        return response;
    }

    /** Sends one request, following redirects; transport failures become clear errors. */
    HttpResponse<InputStream> exchange(HttpRequest request, String what) {
        HttpRequest current = request;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response = send(current, what);
            int status = response.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || hop == MAX_REDIRECTS) {
                return response;
            }
            String location = response.headers().firstValue("Location").orElse(null);
            close(response);
            if (location == null) {
                throw new I2kitException("cannot " + what + ": " + current.uri().getHost() + " redirected (HTTP " + status
                        + ") without a Location");
            }
            URI next = current.uri().resolve(location);
            HttpRequest.Builder builder = HttpRequest.newBuilder(next).GET().timeout(TIMEOUT);
            current.headers().firstValue("Accept").ifPresent(a -> builder.header("Accept", a));
            if (sameOrigin(current.uri(), next)) {
                current.headers().firstValue("Authorization").ifPresent(a -> builder.header("Authorization", a));
            }
            current = builder.build();
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request, String what) {
        String where = request.uri().getScheme() + "://" + request.uri().getAuthority();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(what, where, "the connection timed out", e);
        } catch (ConnectException e) {
            throw unreachable(what, where, "connection refused or host unknown", e);
        } catch (SSLException e) {
            throw unreachable(what, where, "TLS failed (" + e.getMessage() + "); if this registry serves plain HTTP, "
                    + "list it in " + RegistrySettings.INSECURE_ENV, e);
        } catch (HttpTimeoutException e) {
            throw unreachable(what, where, "no answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw unreachable(what, where, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new I2kitException("interrupted while trying to " + what, e);
        }
    }

    private RegistryUnreachableException unreachable(String what, String where, String why, Exception cause) {
        return new RegistryUnreachableException("cannot " + what + ": the registry " + host + " is unreachable at "
                + where + ": " + why + "; check the name, the network, and that the registry is running", cause);
    }

    private static HttpRequest request(URI uri, String accept, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(TIMEOUT).header("Accept", accept);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && a.getPort() == b.getPort();
    }

    /** The registry's error list ({@code {"errors":[{"code":…,"message":…}]}}) as text; closes the body. */
    static String errors(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            JsonNode json = new ObjectMapper().readTree(body.readNBytes(64 * 1024));
            List<String> parts = new ArrayList<>();
            if (json != null) {
                for (JsonNode e : json.path("errors")) {
                    parts.add(e.path("code").asText("") + (e.path("message").asText("").isEmpty() ? ""
                            : ": " + e.path("message").asText()));
                }
            }
            return String.join("; ", parts);
        } catch (IOException e) {
            return "";
        }
    }

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the response is abandoned either way
        }
    }
}
