package io.i2kit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A one-service application of the web example image (one replica, an HTTP health check every
 * second) in the shared bootstrapped home, driven through the packaged CLI; closing it runs down.
 */
public final class WebApp implements AutoCloseable {
    private final Path home;
    private final Path manifest;

    private WebApp(Path home, Path manifest) {
        this.home = home;
        this.manifest = manifest;
    }

    /** Writes {@code parent/name/i2kit.yml}; {@code public} puts the service on 127.0.0.1. */
    public static WebApp write(Path parent, String name, boolean isPublic) {
        Path dir = InlineManifest.app(parent.resolve(name), """
                name: %s
                services:
                  web:
                    public: %s
                    resources: {memory: 160M}
                    health: {path: /, interval: 1s, timeout: 900ms, healthy_threshold: 1}
                    containers:
                      web: {image: "oci:%s:latest", ports: [80]}
                """.formatted(name, isPublic, BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci")));
        return new WebApp(BootstrappedHome.get().root(), dir);
    }

    public Path home() {
        return home;
    }

    /** The application's state directory under the home. */
    public Path state() {
        return home.resolve("apps").resolve(manifest.getFileName());
    }

    public Cli.Run run(String command) {
        try {
            return Cli.run(home, command, "-f", manifest.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode status() throws IOException, InterruptedException {
        return new ObjectMapper().readTree(Cli.run(home, "status", "-f", manifest.toString(), "--output", "json")
                .assertSuccess().out());
    }

    /** The pid of the service's first running replica. */
    public long replicaPid() throws IOException, InterruptedException {
        return status().path("services").get(0).path("running").get(0).path("pid").asLong();
    }

    @Override
    public void close() {
        run("down");
    }
}
