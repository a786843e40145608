package io.i2kit.provider.local.lb;

/**
 * What the hypervisor knows of one forwarded connection. QEMU's hostfwd accepts a host connection
 * itself, at once, and then holds it while it tries the guest, so from the host a connection that
 * the guest's service accepted and one the guest has not even answered look the same; only QEMU's
 * own network stack can tell them apart.
 */
@FunctionalInterface
public interface ForwardedConnections {
    enum State {
        /** The guest completed the handshake: a process in it accepted the connection. */
        ACCEPTED,
        /** The guest has not answered yet (its network is not up, or it is too slow). */
        PENDING,
        /** QEMU holds no such connection any more: the guest refused it or it closed. */
        GONE
    }

    /** The state of the connection that reached host port {@code hostPort} from local port {@code clientPort}. */
    State state(int hostPort, int clientPort);
}
