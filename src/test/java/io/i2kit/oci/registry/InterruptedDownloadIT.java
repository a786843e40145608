package io.i2kit.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that announces a layer and hangs up halfway through it: the store must keep nothing
 * of the layer, and a later pull from a well-behaved registry must fetch it whole.
 */
class InterruptedDownloadIT {
    private final byte[] layer = new byte[256 * 1024];
    private byte[] config;
    private byte[] manifest;
    private Digest layerDigest;
    private Digest configDigest;
    private volatile boolean hangUp = true;
    private ServerSocket server;
    private Thread loop;

    @TempDir
    Path home;

    @BeforeEach
    void startServer() throws IOException {
        new Random(7).nextBytes(layer);
        layerDigest = Digest.of(layer);
        config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        configDigest = Digest.of(config);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER + "\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        loop = new Thread(this::serve, "interrupting-registry");
        loop.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        loop.join(10_000);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String path = in.readLine().split(" ")[1];
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // headers are not needed
                }
                OutputStream out = s.getOutputStream();
                if (path.equals("/v2/demo/manifests/v1")) {
                    answer(out, MediaTypes.OCI_MANIFEST, manifest, manifest.length);
                } else if (path.equals("/v2/demo/blobs/" + configDigest)) {
                    answer(out, "application/octet-stream", config, config.length);
                } else if (path.equals("/v2/demo/blobs/" + layerDigest)) {
                    answer(out, "application/octet-stream", layer, hangUp ? layer.length / 2 : layer.length);
                } else {
                    answer(out, "application/json", "{\"errors\":[]}".getBytes(StandardCharsets.UTF_8), 13);
                }
            } catch (IOException closed) {
                // the test is over, or a client went away
            }
        }
    }

    /** Announces all of {@code body} but sends only {@code sent} bytes, then closes the connection. */
    private static void answer(OutputStream out, String type, byte[] body, int sent) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, sent);
        out.flush();
    }

    @Test
    void aDownloadCutHalfwayLeavesNothingAndTheNextPullFetchesTheWholeLayer() throws IOException {
        String host = "127.0.0.1:" + server.getLocalPort();
        BlobStore store = new BlobStore(home.resolve("store"));
        RegistrySource source = new RegistrySource(store, new RegistrySettings(Set.of(host), DockerConfig.EMPTY));
        ImageReference ref = ImageReference.parse(host + "/demo:v1").reference().orElseThrow();

        assertThatThrownBy(() -> source.pull(ref, Optional.empty(), Platform.LINUX_AMD64, Progress.NONE))
                .isInstanceOf(I2kitException.class)
                .hasMessageStartingWith("cannot store layer " + layerDigest.shortForm() + " of " + ref);
        assertThat(store.has(layerDigest)).isFalse();
        assertThat(store.has(configDigest)).isTrue();
        try (Stream<Path> files = Files.walk(store.root())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.contains(layerDigest.hex()) || name.endsWith(".part"));
        }

        hangUp = false;
        PulledImage image = source.pull(ref, Optional.empty(), Platform.LINUX_AMD64, Progress.NONE).orElseThrow();
        assertThat(image.layers().get(0).digest()).isEqualTo(layerDigest);
        assertThat(store.read(layerDigest)).isEqualTo(layer);
    }
}
