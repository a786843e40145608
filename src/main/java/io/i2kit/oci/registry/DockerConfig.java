package io.i2kit.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.InvalidInputException;
import io.i2kit.yaml.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry logins {@code docker login} (and podman, skopeo) record in
 * {@code $DOCKER_CONFIG/config.json}, default {@code ~/.docker/config.json}: {@code auths.<host>.auth}
 * is base64 of {@code user:password}. Credential helpers ({@code credsStore}) are not run.
 */
public record DockerConfig(Map<String, RegistryCredentials> logins) {
    public static final DockerConfig EMPTY = new DockerConfig(Map.of());
    private static final String DOCKER_HUB_INDEX = "index.docker.io";

    public DockerConfig {
        logins = Map.copyOf(logins);
    }

    public static DockerConfig fromEnvironment(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null && !dir.isBlank() ? Path.of(dir, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        return read(file);
    }

    /** The logins in {@code file}; none when it does not exist. */
    public static DockerConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The message of a JSON error can quote the file, which holds secrets: say only where.
            throw new InvalidInputException(Position.unknown(file.toString()), "not a valid Docker config file (not JSON); fix or remove it");
        }
        Map<String, RegistryCredentials> logins = new LinkedHashMap<>();
        if (root != null) {
            root.path("auths").fields().forEachRemaining(e -> {
                String auth = e.getValue().path("auth").asText("");
                if (auth.isEmpty()) {
                    return; // a login kept by a credential helper
                }
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw new InvalidInputException(Position.unknown(file.toString()), "auths." + e.getKey()
                            + ".auth is not base64; log in again to rewrite it");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new InvalidInputException(Position.unknown(file.toString()), "auths." + e.getKey()
                            + ".auth is not base64 of user:password; log in again to rewrite it");
                }
                logins.put(host(e.getKey()), new RegistryCredentials(decoded.substring(0, colon),
                        decoded.substring(colon + 1), file.toString()));
            });
        }
        return new DockerConfig(logins);
    }

    /** The login for a registry host as written in image references ({@code docker.io} included). */
    public Optional<RegistryCredentials> forHost(String host) {
        return Optional.ofNullable(logins.get(host(host)));
    }

    /**
     * Keys may be URLs ({@code https://index.docker.io/v1/}) or bare hosts; Docker Hub goes by
     * several names, all of which mean the same login.
     */
    static String host(String key) {
        String h = key.replaceFirst("^[a-zA-Z]+://", "");
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        h = h.toLowerCase(java.util.Locale.ROOT);
        return switch (h) {
            case "docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB_INDEX;
            default -> h;
        };
    }
}
