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

    /** What an apply does, such as web's {@code starting web-g2-r2}; {@code service} is null for the application. */
    record Progress(String service, io.i2kit.event.Event.Level level, String text) implements ControlReply {
        static Progress of(io.i2kit.event.Event.Note note) {
            return new Progress(note.service().orElse(null), note.level(), note.text());
        }

        io.i2kit.event.Event.Note note() {
            return new io.i2kit.event.Event.Note(io.i2kit.event.Event.Phase.DEPLOY, level, java.util.Optional.ofNullable(service),
                    text);
        }

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
