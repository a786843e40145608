package io.i2kit.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** Sends {@code request}, passes each progress message to {@code progress}, returns the final event. */
    public static JsonNode send(Path socket, ObjectNode request, Consumer<String> progress) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(channel);
            out.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode event = JSON.readTree(line);
                if ("progress".equals(event.path("event").asText())) {
                    progress.accept(event.path("message").asText());
                } else if ("done".equals(event.path("event").asText())) {
                    return event;
                }
            }
            throw new I2kitException("the supervisor closed its control socket " + socket + " without an answer; "
                    + "see its log beside the socket (supervisor.log)");
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
