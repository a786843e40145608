package io.i2kit.provider.aws.stack;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One stack to deploy or plan: its name, template body, parameters (in the order given), tags and
 * the capabilities CloudFormation must be granted. {@code dependsOn} names the stack whose exports
 * the template imports (the environment stack for a service stack), so that a plan made before
 * that stack exists can still describe this one.
 */
public record StackRequest(String stackName, String templateBody, Map<String, String> parameters,
                           Map<String, String> tags, Set<Capability> capabilities, Optional<String> dependsOn) {

    /** What CloudFormation is allowed to create; the environment stack makes an IAM role. */
    public enum Capability {
        IAM("CAPABILITY_IAM"),
        NAMED_IAM("CAPABILITY_NAMED_IAM"),
        AUTO_EXPAND("CAPABILITY_AUTO_EXPAND");

        final String awsName;

        Capability(String awsName) {
            this.awsName = awsName;
        }
    }

    public StackRequest {
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(templateBody, "templateBody");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        capabilities = capabilities.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
        Objects.requireNonNull(dependsOn, "dependsOn");
    }

    /** A request with no tags, {@link Capability#IAM} and no stack it depends on. */
    public static StackRequest of(String stackName, String templateBody, Map<String, String> parameters) {
        return new StackRequest(stackName, templateBody, parameters, Map.of(), Set.of(Capability.IAM), Optional.empty());
    }

    public StackRequest withTags(Map<String, String> newTags) {
        return new StackRequest(stackName, templateBody, parameters, newTags, capabilities, dependsOn);
    }

    public StackRequest withDependsOn(String environmentStack) {
        return new StackRequest(stackName, templateBody, parameters, tags, capabilities, Optional.of(environmentStack));
    }

    public StackRequest withParameters(Map<String, String> more) {
        StackRequest request = this;
        for (Map.Entry<String, String> e : more.entrySet()) {
            request = request.withParameter(e.getKey(), e.getValue());
        }
        return request;
    }

    public StackRequest withParameter(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(parameters);
        changed.put(key, value);
        return new StackRequest(stackName, templateBody, changed, tags, capabilities, dependsOn);
    }
}
