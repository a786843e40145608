package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * A TCP check that passes only when the guest's service accepted the connection. A bare connect
 * proves nothing here: QEMU's hostfwd accepts the host connection itself, before it knows whether
 * anything listens in the guest, and holds it while the guest's network is not up. So the probe
 * keeps the connection open for a short window: bytes from the server (a banner) pass at once, an
 * EOF or a reset fails; while it stays open and silent, QEMU is asked about this very connection,
 * and only a completed handshake with the guest passes.
 *
 * <p>Without QEMU's view (a backend that is a host process) a connection still open at the end of
 * the window passes, since then the listener itself accepted it.
 */
final class TcpProbe implements Probe {
    /** Long enough for hostfwd to hear the guest's refusal on a loaded TCG host, short enough to probe often. */
    static final Duration DEFAULT_WINDOW = Duration.ofMillis(1000);
    private static final int SLICE_MILLIS = 100;
    private final Duration window;

    TcpProbe(Duration window) {
        this.window = window;
    }

    @Override
    public ProbeResult probe(Endpoint.Tcp target, Optional<ForwardedConnections> forwards, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(target.address(), HttpProbe.millisLeft(deadline));
            long windowEnd = System.nanoTime() + Math.min(window.toNanos(), deadline - System.nanoTime());
            ForwardedConnections.State state = ForwardedConnections.State.PENDING;
            while (true) {
                int left = (int) Math.max(1, (windowEnd - System.nanoTime()) / 1_000_000);
                socket.setSoTimeout(forwards.isPresent() ? Math.min(SLICE_MILLIS, left) : left);
                try {
                    return socket.getInputStream().read() < 0
                            ? ProbeResult.fail("tcp: closed right after connecting (nothing listening in the guest?)")
                            : ProbeResult.pass("tcp: the server spoke first");
                } catch (SocketTimeoutException open) {
                    // still open and silent: ask QEMU, or wait out the window
                }
                if (forwards.isPresent()) {
                    state = forwards.get().state(target.port(), socket.getLocalPort());
                    if (state == ForwardedConnections.State.ACCEPTED) {
                        return ProbeResult.pass("tcp: the guest accepted the connection");
                    }
                }
                if (System.nanoTime() >= windowEnd) {
                    break;
                }
            }
            if (forwards.isEmpty()) {
                return ProbeResult.pass("tcp: connection held open for " + window.toMillis() + " ms");
            }
            return ProbeResult.fail(state == ForwardedConnections.State.GONE
                    ? "tcp: the guest refused the connection (nothing listening there?)"
                    : "tcp: QEMU holds the connection but the guest has not accepted it (its network or service is not up)");
        } catch (IOException e) {
            return ProbeResult.fail("tcp: " + e.getMessage());
        }
    }
}
