package io.i2kit.provider.aws.stack;

import java.util.Optional;

/**
 * A stack operation ran and failed. {@code reason} is the first failure in the order it happened
 * (not the cancellations it caused), {@code status} the stack's final status.
 */
public class StackFailedException extends StackException {
    private final String status;
    private final String reason;
    private final Optional<StackEvent> failedEvent;

    StackFailedException(String stackName, String operation, String status, String reason,
                         Optional<StackEvent> failedEvent, String hint) {
        super(stackName, operation + " stack " + stackName + " failed: "
                + failedEvent.map(e -> e.logicalId() + " (" + e.resourceType() + ") " + e.status() + ": ").orElse("")
                + reason + "; the stack is now " + status + ". " + hint);
        this.status = status;
        this.reason = reason;
        this.failedEvent = failedEvent;
    }

    /** The stack's status when the operation ended, such as ROLLBACK_COMPLETE. */
    public String status() {
        return status;
    }

    /** The first failure's reason as CloudFormation gave it. */
    public String reason() {
        return reason;
    }

    /** The event that carried the first failure, when the failure came as an event. */
    public Optional<StackEvent> failedEvent() {
        return failedEvent;
    }
}
