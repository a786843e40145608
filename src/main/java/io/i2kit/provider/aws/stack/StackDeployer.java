package io.i2kit.provider.aws.stack;

import io.i2kit.provider.aws.stack.ChangeSetCreator.ChangeSet;
import io.i2kit.provider.aws.stack.StackInspector.Inspection;
import io.i2kit.provider.aws.stack.StackResult.Action;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Deploys one stack through a change set: creates it when absent, updates it when stable, leaves
 * it alone when nothing changed, and replaces a stack whose creation failed. Its events go to the
 * listener while CloudFormation works.
 */
public final class StackDeployer {
    private final CloudFormationClient cfn;
    private final StackReader reader;
    private final StackInspector inspector;
    private final ChangeSetCreator changeSets;
    private final StackSettler settler;
    private final StackRemover remover;

    public StackDeployer(CloudFormationClient cfn, StackTimings timings) {
        this.cfn = cfn;
        this.reader = new StackReader(cfn);
        this.inspector = new StackInspector(cfn, timings);
        this.changeSets = new ChangeSetCreator(cfn, timings);
        this.settler = new StackSettler(cfn, timings);
        this.remover = new StackRemover(cfn, timings);
    }

    /**
     * Deploys the request and returns the stack's outputs.
     *
     * @throws StackFailedException when CloudFormation ran the change and it failed
     * @throws StackException when the stack could not be changed at all (stuck state, refused change set, timeout)
     */
    public StackResult deploy(StackRequest request, Consumer<StackProgress> listener) {
        String name = request.stackName();
        Inspection found = inspector.inspect(name, listener);
        Optional<StackRequest> replaced = Optional.empty();
        if (found.decision() == DeployDecision.UPDATE) {
            Stack stack = found.stack().orElseThrow();
            String template = reader.originalTemplate(stack.stackId(), name);
            if (StackComparer.matches(stack, template, request)) {
                return unchanged(stack, listener);
            }
            replaced = Optional.of(new StackRequest(name, template, StackReader.parameters(stack), request.tags(),
                    request.capabilities(), request.dependsOn()));
        }
        boolean recreate = found.decision() == DeployDecision.RECREATE;
        if (recreate) {
            Stack failed = found.stack().orElseThrow();
            listener.accept(new StackProgress.DeletingFailed(name, failed.stackStatusAsString()));
            remover.remove(failed, listener);
        }
        ChangeSetType type = found.decision() == DeployDecision.UPDATE ? ChangeSetType.UPDATE : ChangeSetType.CREATE;
        Optional<ChangeSet> changeSet = changeSets.create(request, type, "deploy");
        if (changeSet.isEmpty()) {
            return unchanged(reader.find(name, name).orElseThrow(), listener);
        }
        ChangeSet cs = changeSet.get();
        listener.accept(new StackProgress.ChangeSetCreated(name, cs.name(), cs.changes().size()));
        Action action = recreate ? Action.RECREATED : type == ChangeSetType.CREATE ? Action.CREATED : Action.UPDATED;
        Stack deployed = execute(cs, action, listener);
        return new StackResult(name, action, StackReader.outputs(deployed), deployed.stackStatusAsString(),
                action == Action.UPDATED ? replaced : Optional.empty());
    }

    private StackResult unchanged(Stack stack, Consumer<StackProgress> listener) {
        listener.accept(new StackProgress.Unchanged(stack.stackName()));
        return new StackResult(stack.stackName(), Action.UNCHANGED, StackReader.outputs(stack),
                stack.stackStatusAsString(), Optional.empty());
    }

    /** Executes the change set and follows the stack until its operation ends; returns the stack if it succeeded. */
    private Stack execute(ChangeSet cs, Action action, Consumer<StackProgress> listener) {
        String name = cs.stackName();
        String operation = action == Action.UPDATED ? "updating" : "creating";
        StackEvents events = StackEvents.fromNow(cfn, cs.stackId(), name);
        try {
            changeSets.execute(cs);
        } catch (AwsServiceException e) {
            // Some failures come back from ExecuteChangeSet itself rather than as events.
            events.poll().forEach(listener);
            String status = reader.find(cs.stackId(), name).map(Stack::stackStatusAsString).orElse("gone");
            throw new StackFailedException(name, operation, status, StackException.awsMessage(e), Optional.empty(),
                    "Fix the cause and run i2kit again.");
        } catch (SdkException e) {
            throw StackException.of("executing the change set of stack", name, e);
        }
        Optional<Stack> last = settler.awaitOwn(cs.stackId(), name, events, listener, "finish " + operation);
        if (last.isPresent() && isSuccess(last.get().stackStatus())) {
            return last.get();
        }
        String status = last.map(Stack::stackStatusAsString).orElse("gone");
        Optional<StackEvent> failure = events.firstFailure();
        String reason = failure.flatMap(StackEvent::reason)
                .or(() -> last.map(Stack::stackStatusReason))
                .orElse("CloudFormation gave no reason");
        throw new StackFailedException(name, operation, status, reason, failure, hint(status));
    }

    private static boolean isSuccess(StackStatus status) {
        return status == StackStatus.CREATE_COMPLETE || status == StackStatus.UPDATE_COMPLETE;
    }

    private static String hint(String status) {
        if (status.equals(StackStatus.UPDATE_ROLLBACK_COMPLETE.toString())) {
            return "CloudFormation rolled the stack back: it runs what it ran before. Fix the cause and run i2kit again.";
        }
        if (status.equals(StackStatus.ROLLBACK_COMPLETE.toString())) {
            return "Fix the cause and run i2kit again: it deletes the failed stack and creates it anew.";
        }
        return "Fix the cause and run i2kit again; the stack's events in the CloudFormation console tell more.";
    }
}
