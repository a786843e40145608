package io.i2kit.provider.local;

/**
 * What a client asks the supervisor over its control socket, one request per connection: apply a
 * desired state, report the status, or stop everything. Sent as one JSON line ({@link LocalJson}).
 */
sealed interface ControlRequest permits ControlRequest.Apply, ControlRequest.Status, ControlRequest.Down {
    /** Roll every service to {@code state}; answered with progress, then the status or why it failed. */
    record Apply(DesiredState state) implements ControlRequest {
        public Apply {
            java.util.Objects.requireNonNull(state, "an apply request needs a state");
        }
    }

    /** What runs now; answered at once, even during an apply. */
    record Status() implements ControlRequest {
    }

    /** Stop every VM and load balancer, then the supervisor itself. */
    record Down() implements ControlRequest {
    }
}
