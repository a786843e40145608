package io.i2kit.provider.local.lb;

import java.util.Set;

/**
 * What the hypervisor knows of the connections it forwards to a backend. QEMU's hostfwd accepts a
 * host connection itself, at once, and then holds it while it tries the guest, so from the host a
 * connection the guest's service accepted and one the guest has not even answered look the same;
 * only QEMU's own network stack can tell them apart.
 */
public interface ForwardedConnections {
    enum State {
        /** Every new connection completed its handshake with the guest: a process there accepted it. */
        ACCEPTED,
        /** The guest has not answered a new connection yet (its network is not up, or it is slow). */
        PENDING,
        /** QEMU holds no new connection (the guest refused it, or it has not reached QEMU yet). */
        GONE
    }

    /** The connections forwarded to {@code instancePort} now, by an identity QEMU keeps. */
    Set<Long> open(int instancePort);

    /** The state of the connections forwarded to {@code instancePort} that were not open {@code before}. */
    State since(int instancePort, Set<Long> before);
}
