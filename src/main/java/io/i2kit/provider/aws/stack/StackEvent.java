package io.i2kit.provider.aws.stack;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of a stack's event log: a resource (or the stack itself, whose logical id is the
 * stack's name) reached {@code status}, with CloudFormation's reason when it gave one.
 */
public record StackEvent(String stackName, String logicalId, String resourceType, String status,
                         Optional<String> reason, Instant timestamp) implements StackProgress {

    /** {@code ScalingGroup AWS::AutoScaling::AutoScalingGroup CREATE_FAILED: reason}. */
    @Override
    public String message() {
        return logicalId + " " + resourceType + " " + status + reason.map(r -> ": " + r).orElse("");
    }

    boolean isFailure() {
        return status.endsWith("_FAILED");
    }
}
