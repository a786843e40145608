package io.i2kit.provider.aws.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;

/**
 * Creates a change set for a request, waits until CloudFormation has computed it and reads its
 * changes. A change set that changes nothing is deleted and reported as empty.
 */
final class ChangeSetCreator {
    /** CloudFormation's limit on a template passed in the request rather than through S3. */
    static final int MAX_TEMPLATE_BODY = 51_200;

    private final CloudFormationClient cfn;
    private final StackTimings timings;

    ChangeSetCreator(CloudFormationClient cfn, StackTimings timings) {
        this.cfn = cfn;
        this.timings = timings;
    }

    /** A change set computed and ready to execute. */
    record ChangeSet(String id, String name, String stackId, String stackName, List<ResourceChange> changes) {
    }

    /** The change set, or empty when the request would change nothing. */
    Optional<ChangeSet> create(StackRequest request, ChangeSetType type, String purpose) {
        String name = request.stackName();
        checkSize(request);
        String changeSetName = "i2kit-" + System.currentTimeMillis();
        CreateChangeSetResponse created;
        try {
            created = cfn.createChangeSet(r -> r.stackName(name).changeSetName(changeSetName).changeSetType(type)
                    .description("i2kit " + purpose).templateBody(request.templateBody())
                    .parameters(parameters(request)).tags(tags(request))
                    .capabilitiesWithStrings(request.capabilities().stream().map(c -> c.awsName).toList()));
        } catch (AwsServiceException e) {
            if (isNoChanges(StackException.awsMessage(e))) {
                return Optional.empty();
            }
            throw StackException.of("creating a change set for stack", name, e);
        } catch (SdkException e) {
            throw StackException.of("creating a change set for stack", name, e);
        }
        DescribeChangeSetResponse described = await(created.id(), name);
        if (described.status() == ChangeSetStatus.CREATE_COMPLETE) {
            return Optional.of(new ChangeSet(created.id(), changeSetName, created.stackId(), name, changes(described)));
        }
        delete(created.id(), name);
        return notCreated(name, described);
    }

    /** A change set that failed or never finished, already deleted: empty if it only found nothing to change. */
    private Optional<ChangeSet> notCreated(String name, DescribeChangeSetResponse described) {
        String reason = Optional.ofNullable(described.statusReason()).orElse("no reason given");
        if (described.status() == ChangeSetStatus.FAILED && isNoChanges(reason)) {
            return Optional.empty();
        }
        if (described.status() == ChangeSetStatus.FAILED) {
            throw new StackException(name, "creating a change set for stack " + name + " failed: " + reason
                    + ". Check the template and its parameters; `i2kit render` writes the template.");
        }
        throw new StackException(name, "creating a change set for stack " + name + " did not finish within "
                + timings.timeoutText() + "; it was " + described.statusAsString() + " and is deleted. "
                + "Run again; if it persists, check CloudFormation's health in this region.");
    }

    private static void checkSize(StackRequest request) {
        int size = request.templateBody().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_TEMPLATE_BODY) {
            throw new StackException(request.stackName(), "creating a change set for stack " + request.stackName()
                    + " failed: its template is " + size + " bytes and CloudFormation takes at most "
                    + MAX_TEMPLATE_BODY + " in a request. Split the service or report it: templates this large must "
                    + "be uploaded to S3 first, which i2kit does not do yet.");
        }
    }

    /** Starts the change set; CloudFormation then runs it on its own. */
    void execute(ChangeSet changeSet) {
        cfn.executeChangeSet(r -> r.changeSetName(changeSet.id()));
    }

    void delete(String changeSetId, String stackName) {
        try {
            cfn.deleteChangeSet(r -> r.changeSetName(changeSetId));
        } catch (SdkException e) {
            throw StackException.of("deleting a change set of stack", stackName, e);
        }
    }

    /** The SDK's waiter with i2kit's timings; any end but success is read back from the change set itself. */
    private DescribeChangeSetResponse await(String changeSetId, String stackName) {
        try (CloudFormationWaiter waiter = CloudFormationWaiter.builder().client(cfn)
                .overrideConfiguration(o -> o.waitTimeout(timings.timeout()).maxAttempts(Integer.MAX_VALUE)
                        .backoffStrategyV2(BackoffStrategy.exponentialDelayWithoutJitter(timings.firstPoll(),
                                timings.maxPoll())))
                .build()) {
            waiter.waitUntilChangeSetCreateComplete(r -> r.changeSetName(changeSetId));
        } catch (SdkClientException failedOrTimedOut) {
            // The change set's own status and reason say which, below.
        }
        return describe(changeSetId, null, stackName);
    }

    private DescribeChangeSetResponse describe(String changeSetId, String nextToken, String stackName) {
        try {
            return cfn.describeChangeSet(r -> r.changeSetName(changeSetId).nextToken(nextToken));
        } catch (SdkException e) {
            throw StackException.of("reading a change set of stack", stackName, e);
        }
    }

    private List<ResourceChange> changes(DescribeChangeSetResponse first) {
        List<ResourceChange> changes = new ArrayList<>();
        DescribeChangeSetResponse page = first;
        while (true) {
            page.changes().stream().map(Change::resourceChange).filter(c -> c != null)
                    .map(ChangeSetCreator::toChange).forEach(changes::add);
            if (page.nextToken() == null || page.nextToken().isEmpty()) {
                return changes;
            }
            page = describe(first.changeSetId(), page.nextToken(), first.stackName());
        }
    }

    private static ResourceChange toChange(software.amazon.awssdk.services.cloudformation.model.ResourceChange c) {
        ResourceChange.Action action = c.action() == null ? ResourceChange.Action.OTHER : switch (c.action()) {
            case ADD -> ResourceChange.Action.ADD;
            case MODIFY -> ResourceChange.Action.MODIFY;
            case REMOVE -> ResourceChange.Action.REMOVE;
            case IMPORT -> ResourceChange.Action.IMPORT;
            case DYNAMIC -> ResourceChange.Action.DYNAMIC;
            default -> ResourceChange.Action.OTHER;
        };
        Optional<ResourceChange.Replacement> replacement = Optional.ofNullable(c.replacement()).flatMap(r -> switch (r) {
            case TRUE -> Optional.of(ResourceChange.Replacement.TRUE);
            case FALSE -> Optional.of(ResourceChange.Replacement.FALSE);
            case CONDITIONAL -> Optional.of(ResourceChange.Replacement.CONDITIONAL);
            default -> Optional.empty();
        });
        return new ResourceChange(action, c.logicalResourceId(), c.resourceType(), replacement);
    }

    /** CloudFormation's two ways of saying that a request matches the deployed stack. */
    static boolean isNoChanges(String reason) {
        return reason != null
                && (reason.contains("didn't contain changes") || reason.contains("No updates are to be performed"));
    }

    private static List<Parameter> parameters(StackRequest request) {
        return request.parameters().entrySet().stream()
                .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList();
    }

    private static List<Tag> tags(StackRequest request) {
        return request.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
