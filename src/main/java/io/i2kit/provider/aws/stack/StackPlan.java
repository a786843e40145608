package io.i2kit.provider.aws.stack;

import java.util.List;
import java.util.Optional;

/**
 * What deploying one stack would do. {@code changes} come from a change set, or, for a stack
 * planned from its template alone because it imports exports of a stack not created yet, list
 * every resource as an ADD with {@code after} naming that stack. {@code changedParameters} names the
 * parameters whose values differ from the deployed stack's (a parameter alone may change nothing
 * but what a resource receives).
 */
public record StackPlan(String stackName, Operation operation, List<ResourceChange> changes,
                        List<String> changedParameters, Optional<String> after) {

    public enum Operation {
        CREATE,
        UPDATE,
        /** A stack left by a failed creation is deleted and created again. */
        RECREATE,
        /** The deployed template, parameters and tags are those requested. */
        NONE
    }

    public StackPlan {
        changes = List.copyOf(changes);
        changedParameters = List.copyOf(changedParameters);
    }

    static StackPlan unchanged(String stackName) {
        return new StackPlan(stackName, Operation.NONE, List.of(), List.of(), Optional.empty());
    }

    public boolean hasChanges() {
        return operation != Operation.NONE;
    }
}
