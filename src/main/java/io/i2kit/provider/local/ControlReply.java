package io.i2kit.provider.local;

/**
 * What the supervisor answers a {@link ControlRequest}, one JSON line each ({@link LocalJson}): any
 * number of {@link Progress} and {@link Alive} lines while it works, then exactly one final reply.
 */
sealed interface ControlReply permits ControlReply.Progress, ControlReply.Alive, ControlReply.Done,
        ControlReply.Stopped, ControlReply.Failed {
    /** Whether this reply ends the exchange. */
    default boolean last() {
        return true;
    }

    /** A line of what an apply does, such as {@code [web] starting web-g2-r2}. */
    record Progress(String message) implements ControlReply {
        @Override
        public boolean last() {
            return false;
        }
    }

    /** Sent while a long apply says nothing else, so that a client can tell a live supervisor from a hung one. */
    record Alive() implements ControlReply {
        @Override
        public boolean last() {
            return false;
        }
    }

    /** An apply or a status request succeeded: what runs now. */
    record Done(io.i2kit.provider.local.Status status) implements ControlReply {
        public Done {
            java.util.Objects.requireNonNull(status, "a done reply carries the status");
        }
    }

    /** A down request: the VMs and load balancers are stopped, and the supervisor ends. */
    record Stopped() implements ControlReply {
    }

    /** The request failed (or was not understood); {@code message} says why. */
    record Failed(String message) implements ControlReply {
    }
}
