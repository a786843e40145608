package io.i2kit.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The CLI's side of the supervisor's control socket: one request as a JSON line, then event lines
 * ({@code progress} as the work goes, one {@code done} at the end). A Unix socket in the
 * application's state directory, so only its owner can steer the supervisor.
 */
public final class ControlChannel {
    static final ObjectMapper JSON = new ObjectMapper();

    private ControlChannel() {
    }

    /**
     * How long the CLI waits for the supervisor's next line: it answers a status at once and sends a
     * heartbeat during an apply, so a longer silence means it hangs.
     */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    /** Sends {@code request}, passes each progress message to {@code progress}, returns the final event. */
    public static JsonNode send(Path socket, ObjectNode request, Consumer<String> progress) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            try (ControlLines lines = new ControlLines(channel, ControlServer.MAX_LINE)) {
                lines.write(JSON.writeValueAsString(request), ANSWER_TIMEOUT);
                for (Optional<String> line; (line = lines.next(ANSWER_TIMEOUT)).isPresent(); ) {
                    JsonNode event = JSON.readTree(line.get());
                    if ("progress".equals(event.path("event").asText())) {
                        progress.accept(event.path("message").asText());
                    } else if ("done".equals(event.path("event").asText())) {
                        return event;
                    }
                }
            }
            throw new I2kitException("the supervisor closed its control socket " + socket + " without an answer; "
                    + "see its log beside the socket (supervisor.log)");
        } catch (ControlLines.ControlTimeout e) {
            throw new I2kitException("the supervisor at " + socket + " sent nothing for " + ANSWER_TIMEOUT.toSeconds()
                    + " s; it may hang: see its log beside the socket (supervisor.log), or stop it with i2kit down", e);
        } catch (IOException e) {
            throw new I2kitException("cannot reach the supervisor at " + socket + ": " + e.getMessage(), e);
        }
    }

    public static boolean reachable(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static ObjectNode request(String op) {
        return JSON.createObjectNode().put("op", op);
    }
}
