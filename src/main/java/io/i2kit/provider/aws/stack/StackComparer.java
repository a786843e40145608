package io.i2kit.provider.aws.stack;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Whether a request differs from the deployed stack, decided before any change set is made (a
 * change set that changes nothing still costs a minute and leaves a FAILED entry behind).
 */
final class StackComparer {
    private StackComparer() {
    }

    /** Same template (GetTemplate, stage Original), same parameter values and, when tags are requested, same tags. */
    static boolean matches(Stack deployed, String deployedTemplate, StackRequest request) {
        return TemplateReader.sameTemplate(deployedTemplate, request.templateBody())
                && changedParameters(StackReader.parameters(deployed), request.parameters()).isEmpty()
                && (request.tags().isEmpty() || StackReader.tags(deployed).equals(request.tags()));
    }

    /**
     * The requested parameters whose value differs from the deployed one. Parameters the request
     * leaves out keep their defaults; a template that drops one differs anyway.
     */
    static List<String> changedParameters(Map<String, String> deployed, Map<String, String> requested) {
        return requested.entrySet().stream()
                .filter(e -> !Objects.equals(deployed.get(e.getKey()), e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
    }
}
