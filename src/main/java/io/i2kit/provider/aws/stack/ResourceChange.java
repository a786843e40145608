package io.i2kit.provider.aws.stack;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a plan: what happens to a resource. {@code replacement} is known for modifications
 * only: whether CloudFormation makes a new resource (TRUE), may do so (CONDITIONAL) or not (FALSE).
 */
public record ResourceChange(Action action, String logicalId, String resourceType, Optional<Replacement> replacement) {

    public enum Action { ADD, MODIFY, REMOVE, IMPORT, DYNAMIC, OTHER }

    public enum Replacement { TRUE, FALSE, CONDITIONAL }

    public ResourceChange {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(replacement, "replacement");
    }

    static ResourceChange add(String logicalId, String resourceType) {
        return new ResourceChange(Action.ADD, logicalId, resourceType, Optional.empty());
    }
}
