package io.i2kit.provider.aws.stack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a deploy did to a stack, the stack's outputs (OutputKey → OutputValue) and its final status. */
public record StackResult(String stackName, Action action, Map<String, String> outputs, String status) {

    public enum Action {
        CREATED,
        UPDATED,
        UNCHANGED,
        /** A stack left by a failed creation was deleted and created again. */
        RECREATED
    }

    public StackResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
}
