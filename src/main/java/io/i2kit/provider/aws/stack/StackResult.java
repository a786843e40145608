package io.i2kit.provider.aws.stack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy did to a stack, the stack's outputs (OutputKey → OutputValue) and its final status.
 * {@code replaced}, for an update, is what ran before as a request (its template and parameters):
 * what a rollback deploys again.
 */
public record StackResult(String stackName, Action action, Map<String, String> outputs, String status,
                          Optional<StackRequest> replaced) {

    public enum Action {
        CREATED,
        UPDATED,
        UNCHANGED,
        /** A stack left by a failed creation was deleted and created again. */
        RECREATED
    }

    public StackResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        java.util.Objects.requireNonNull(replaced, "replaced");
    }
}
