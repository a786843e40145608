package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * GET of a path that must answer a status 200–399 within the timeout. Written on a plain socket
 * rather than java.net.http: that client owns threads it never lets go of in Java 17, and only the
 * status line is needed.
 */
final class HttpProbe implements Probe {
    private static final int MAX_STATUS_LINE = 1024;
    private final String path;

    HttpProbe(String path) {
        this.path = path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public ProbeResult probe(Endpoint target, int instancePort, java.util.Optional<ForwardedConnections> forwards,
                             Duration timeout) {
        // An HTTP answer comes from the guest's service itself: QEMU's view adds nothing.
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ProbeChannel channel = ProbeChannel.open(target, deadline)) {
            channel.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + instancePort + "\r\nUser-Agent: i2kit-health\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String line = readStatusLine(channel, deadline);
            if (line == null) {
                return ProbeResult.fail("GET " + path + ": connection closed before an answer"
                        + " (nothing listening in the guest?)");
            }
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
                return ProbeResult.fail("GET " + path + ": not an HTTP answer: " + line);
            }
            int status = Integer.parseInt(parts[1]);
            return status >= 200 && status < 400
                    ? ProbeResult.pass("GET " + path + ": HTTP " + status)
                    : ProbeResult.fail("GET " + path + ": HTTP " + status);
        } catch (SocketTimeoutException e) {
            return ProbeResult.fail("GET " + path + ": no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return ProbeResult.fail("GET " + path + ": " + e.getMessage());
        }
    }

    /** Reads up to the first LF; null when the peer closes first; a timeout once the deadline passes. */
    private static String readStatusLine(ProbeChannel channel, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_STATUS_LINE) {
            int b = channel.read(deadline);
            if (b == -2) {
                throw new SocketTimeoutException("deadline passed");
            }
            if (b < 0) {
                return line.length() == 0 ? null : line.toString();
            }
            if (b == '\n') {
                return line.toString().strip();
            }
            line.append((char) b);
        }
        return line.toString();
    }

    static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
