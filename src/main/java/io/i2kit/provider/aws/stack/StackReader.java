package io.i2kit.provider.aws.stack;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Export;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/** Reads stacks, their templates and the region's exports; "no such stack" becomes an empty Optional. */
final class StackReader {
    private final CloudFormationClient cfn;

    StackReader(CloudFormationClient cfn) {
        this.cfn = cfn;
    }

    /**
     * The stack of that name or id. By name, CloudFormation finds only stacks not yet deleted; by id
     * it also finds deleted ones, in DELETE_COMPLETE.
     */
    Optional<Stack> find(String nameOrId, String stackName) {
        try {
            return cfn.describeStacks(r -> r.stackName(nameOrId)).stacks().stream().findFirst();
        } catch (AwsServiceException e) {
            if (isMissingStack(e)) {
                return Optional.empty();
            }
            throw StackException.of("reading stack", stackName, e);
        } catch (SdkException e) {
            throw StackException.of("reading stack", stackName, e);
        }
    }

    /** The template as it was submitted (not as transforms expanded it). */
    String originalTemplate(String stackId, String stackName) {
        try {
            return cfn.getTemplate(r -> r.stackName(stackId).templateStage(TemplateStage.ORIGINAL)).templateBody();
        } catch (SdkException e) {
            throw StackException.of("reading the template of stack", stackName, e);
        }
    }

    /** Names of every export in the region, read to plan {@code stackName}. */
    Set<String> exportNames(String stackName) {
        try {
            Set<String> names = new LinkedHashSet<>();
            cfn.listExportsPaginator(r -> { }).exports().stream().map(Export::name).forEach(names::add);
            return names;
        } catch (SdkException e) {
            throw StackException.of("listing the region's exports to plan stack", stackName, e);
        }
    }

    static Map<String, String> outputs(Stack stack) {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output o : stack.outputs()) {
            outputs.put(o.outputKey(), o.outputValue());
        }
        return outputs;
    }

    static Map<String, String> parameters(Stack stack) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Parameter p : stack.parameters()) {
            parameters.put(p.parameterKey(), p.parameterValue() == null ? "" : p.parameterValue());
        }
        return parameters;
    }

    static Map<String, String> tags(Stack stack) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : stack.tags()) {
            tags.put(t.key(), t.value());
        }
        return tags;
    }

    /** CloudFormation says "Stack with id X does not exist" as a ValidationError, its only sign of absence. */
    static boolean isMissingStack(AwsServiceException e) {
        return e.awsErrorDetails() != null && "ValidationError".equals(e.awsErrorDetails().errorCode())
                && e.awsErrorDetails().errorMessage() != null
                && e.awsErrorDetails().errorMessage().contains("does not exist");
    }
}
