package io.i2kit.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * The supervisor's control socket: {@code apply} (a desired state; progress streamed back),
 * {@code status}, {@code down}. One request per connection, handled one at a time.
 */
public final class ControlServer implements AutoCloseable {
    private final AppPaths paths;
    private final Supervisor supervisor;
    private final ServerSocketChannel server;
    private final CountDownLatch down = new CountDownLatch(1);

    public ControlServer(AppPaths paths, Supervisor supervisor) throws IOException {
        this.paths = paths;
        this.supervisor = supervisor;
        Files.deleteIfExists(paths.control());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(paths.control()));
    }

    /** Serves requests until {@code down}; then returns, leaving the caller to close everything. */
    public void serve() {
        Thread acceptor = new Thread(() -> {
            while (down.getCount() > 0) {
                try (SocketChannel client = server.accept()) {
                    handle(client);
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        }, "i2kit-control");
        acceptor.setDaemon(true);
        acceptor.start();
        try {
            down.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(SocketChannel client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        OutputStream out = Channels.newOutputStream(client);
        String line = in.readLine();
        if (line == null) {
            return;
        }
        JsonNode request = ControlChannel.JSON.readTree(line);
        ObjectNode done = ControlChannel.JSON.createObjectNode().put("event", "done");
        try {
            switch (request.path("op").asText()) {
                case "apply" -> {
                    DesiredState state = ControlChannel.JSON.treeToValue(request.path("state"), DesiredState.class);
                    supervisor.apply(state, message -> send(out, ControlChannel.JSON.createObjectNode()
                            .put("event", "progress").put("message", message)));
                    done.put("ok", true).set("status", ControlChannel.JSON.valueToTree(supervisor.status()));
                }
                case "status" -> done.put("ok", true).set("status", ControlChannel.JSON.valueToTree(supervisor.status()));
                case "down" -> {
                    supervisor.close();
                    done.put("ok", true);
                    down.countDown();
                }
                default -> done.put("ok", false).put("message", "unknown request " + request.path("op").asText());
            }
        } catch (RuntimeException e) {
            done.put("ok", false).put("message", e.getMessage());
        }
        send(out, done);
    }

    private static void send(OutputStream out, ObjectNode event) {
        synchronized (out) {
            write(out, event);
        }
    }

    private static void write(OutputStream out, ObjectNode event) {
        try {
            out.write((ControlChannel.JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the client went away; the work goes on and status tells the outcome
        }
    }

    @Override
    public void close() throws IOException {
        down.countDown();
        server.close();
        Files.deleteIfExists(paths.control());
    }
}
