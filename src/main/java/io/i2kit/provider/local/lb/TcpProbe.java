package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A TCP check that must see the guest answer. A bare connect proves nothing here: QEMU's hostfwd
 * accepts the host connection itself, before it knows whether anything listens in the guest, then
 * closes it when the guest refuses. So after connecting the probe waits a short window: bytes from
 * the server (a banner) or the connection still open at the end mean a guest process accepted it;
 * an EOF or a reset within the window means hostfwd gave up on the guest.
 *
 * <p>Known gap: when the guest's network is not up at all, hostfwd's connection stalls instead of
 * closing, which this probe cannot tell from a server that waits for the client to speak. HTTP checks
 * do not have this gap; services that can should use them.
 */
final class TcpProbe implements Probe {
    /** Long enough for hostfwd to hear the guest's refusal on a loaded TCG host, short enough to probe often. */
    static final Duration DEFAULT_WINDOW = Duration.ofMillis(1000);
    private final Duration window;

    TcpProbe(Duration window) {
        this.window = window;
    }

    @Override
    public ProbeResult probe(Endpoint.Tcp target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(target.address(), HttpProbe.millisLeft(deadline));
            int windowMillis = (int) Math.min(window.toMillis(), HttpProbe.millisLeft(deadline));
            socket.setSoTimeout(Math.max(1, windowMillis));
            try {
                int b = socket.getInputStream().read();
                return b < 0
                        ? ProbeResult.fail("tcp: closed right after connecting (nothing listening in the guest?)")
                        : ProbeResult.pass("tcp: the server spoke first");
            } catch (SocketTimeoutException open) {
                return ProbeResult.pass("tcp: connection held open for " + windowMillis + " ms");
            }
        } catch (IOException e) {
            return ProbeResult.fail("tcp: " + e.getMessage());
        }
    }
}
