package io.i2kit.provider.local;

import io.i2kit.event.Event;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * The CLI's side of the supervisor's control socket: one {@link ControlRequest} as a JSON line, then
 * {@link ControlReply} lines until the last one. A Unix socket in the application's state directory,
 * so only its owner can steer the supervisor.
 */
final class ControlChannel {
    /**
     * How long the CLI waits for the supervisor's next line: it answers a status at once and sends a
     * heartbeat during an apply, so a longer silence means it hangs.
     */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private ControlChannel() {
    }

    /** Applies {@code state}, passing each progress line on; what runs afterwards. */
    static Status apply(Path socket, DesiredState state, Consumer<Event.Note> progress) {
        return done(socket, exchange(socket, new ControlRequest.Apply(state), progress));
    }

    static Status status(Path socket) {
        return done(socket, exchange(socket, new ControlRequest.Status(), line -> { }));
    }

    /** Asks the supervisor to stop its VMs and balancers and end. */
    static void down(Path socket, Consumer<Event.Note> progress) {
        ControlReply reply = exchange(socket, new ControlRequest.Down(), progress);
        if (reply instanceof ControlReply.Failed failed) {
            throw new I2kitException(failed.message());
        }
        if (!(reply instanceof ControlReply.Stopped)) {
            throw unexpected(socket, reply);
        }
    }

    private static Status done(Path socket, ControlReply reply) {
        if (reply instanceof ControlReply.Done done) {
            return done.status();
        }
        if (reply instanceof ControlReply.Failed failed) {
            throw new I2kitException(failed.message());
        }
        throw unexpected(socket, reply);
    }

    /** Sends {@code request}, passes each progress message to {@code progress}, returns the last reply. */
    static ControlReply exchange(Path socket, ControlRequest request, Consumer<Event.Note> progress) {
        return exchange(socket, request, progress, ANSWER_TIMEOUT);
    }

    /** As above, giving up after {@code timeout} without a line from the supervisor. */
    static ControlReply exchange(Path socket, ControlRequest request, Consumer<Event.Note> progress, Duration timeout) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            try (ControlLines lines = new ControlLines(channel, ControlServer.MAX_LINE)) {
                lines.write(LocalJson.write(request), timeout);
                for (Optional<String> line; (line = lines.next(timeout)).isPresent(); ) {
                    ControlReply reply = read(socket, line.get());
                    if (reply.last()) {
                        return reply;
                    }
                    if (reply instanceof ControlReply.Progress p) {
                        progress.accept(p.note());
                    }
                }
            }
            throw new I2kitException("the supervisor closed its control socket " + socket + " without an answer; "
                    + "see its log beside the socket (supervisor.log)");
        } catch (ControlLines.ControlTimeout e) {
            throw new I2kitException("the supervisor at " + socket + " sent nothing for " + timeout.toSeconds()
                    + " s; it may hang: see its log beside the socket (supervisor.log), or stop it with i2kit down", e);
        } catch (IOException e) {
            throw new I2kitException("cannot reach the supervisor at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static ControlReply read(Path socket, String line) {
        try {
            return LocalJson.read(line, ControlReply.class);
        } catch (JsonProcessingException e) {
            String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
            throw new I2kitException("the supervisor at " + socket + " answered in a form this i2kit does not read ("
                    + shown + "); it may be a supervisor of another i2kit version: i2kit down stops it", e);
        }
    }

    private static I2kitException unexpected(Path socket, ControlReply reply) {
        return new I2kitException("the supervisor at " + socket + " answered " + reply + ", which does not answer the"
                + " request; it may be a supervisor of another i2kit version: i2kit down stops it");
    }

    static boolean reachable(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
