package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A TCP check that passes only when the guest's service accepted the connection. A connection that
 * opens proves nothing here: QEMU's hostfwd accepts the host side itself, before it knows whether
 * anything listens in the guest, and holds it while the guest's network is not up. So the probe
 * keeps the connection open for a short window: bytes from the server (a banner) pass at once, an
 * EOF fails; while it stays open and silent, QEMU is asked about the connections that appeared
 * since the probe began, and only a completed handshake with the guest passes.
 *
 * <p>Without QEMU's view (a backend that is a host process) a connection still open at the end of
 * the window passes, since then the listener itself accepted it.
 */
final class TcpProbe implements Probe {
    /** Long enough for hostfwd to hear the guest's refusal on a loaded TCG host, short enough to probe often. */
    static final Duration DEFAULT_WINDOW = Duration.ofMillis(1000);
    private static final long SLICE_NANOS = Duration.ofMillis(100).toNanos();
    private final Duration window;

    TcpProbe(Duration window) {
        this.window = window;
    }

    @Override
    public ProbeResult probe(Endpoint target, int instancePort, Optional<ForwardedConnections> forwards, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Long> before = forwards.map(f -> f.open(instancePort)).orElse(Set.of());
        try (ProbeChannel channel = ProbeChannel.open(target, deadline)) {
            long windowEnd = Math.min(deadline, System.nanoTime() + window.toNanos());
            ForwardedConnections.State state = ForwardedConnections.State.GONE;
            while (true) {
                long sliceEnd = forwards.isPresent() ? Math.min(windowEnd, System.nanoTime() + SLICE_NANOS) : windowEnd;
                int b = channel.read(sliceEnd);
                if (b == -1) {
                    return ProbeResult.fail("tcp: closed right after connecting (nothing listening in the guest?)");
                }
                if (b >= 0) {
                    return ProbeResult.pass("tcp: the server spoke first");
                }
                if (forwards.isPresent()) {
                    state = forwards.get().since(instancePort, before);
                    if (state == ForwardedConnections.State.ACCEPTED) {
                        return ProbeResult.pass("tcp: the guest accepted the connection");
                    }
                }
                if (System.nanoTime() - windowEnd >= 0) {
                    break;
                }
            }
            if (forwards.isEmpty()) {
                return ProbeResult.pass("tcp: connection held open for " + window.toMillis() + " ms");
            }
            return ProbeResult.fail(state == ForwardedConnections.State.PENDING
                    ? "tcp: QEMU holds the connection but the guest has not accepted it (its network or service is not up)"
                    : "tcp: the guest did not accept the connection (nothing listening there?)");
        } catch (IOException e) {
            return ProbeResult.fail("tcp: " + e.getMessage());
        }
    }
}
