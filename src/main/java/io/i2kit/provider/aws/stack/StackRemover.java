package io.i2kit.provider.aws.stack;

import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/** Deletes a stack and follows its events until it is gone. */
public final class StackRemover {
    private final CloudFormationClient cfn;
    private final StackReader reader;
    private final StackSettler settler;

    public StackRemover(CloudFormationClient cfn, StackTimings timings) {
        this.cfn = cfn;
        this.reader = new StackReader(cfn);
        this.settler = new StackSettler(cfn, timings);
    }

    /**
     * Deletes the stack and waits until it is DELETE_COMPLETE; a stack that does not exist is left
     * as it is. An operation running on the stack is waited for first.
     *
     * @throws StackFailedException when the stack ends DELETE_FAILED, with the first failure's reason
     */
    public StackRemoval delete(String stackName, Consumer<StackProgress> listener) {
        Optional<Stack> stack = reader.find(stackName, stackName);
        if (stack.isEmpty()) {
            return new StackRemoval(stackName, false);
        }
        if (isBusy(stack.get())) {
            listener.accept(new StackProgress.Waiting(stackName, stack.get().stackStatusAsString()));
            stack = settler.awaitOther(stack.get(), listener);
            if (stack.isEmpty() || stack.get().stackStatus() == StackStatus.DELETE_COMPLETE) {
                return new StackRemoval(stackName, true);
            }
        }
        listener.accept(new StackProgress.Deleting(stackName));
        remove(stack.get(), listener);
        return new StackRemoval(stackName, true);
    }

    /** Deletes a stack known to exist and not busy. */
    void remove(Stack stack, Consumer<StackProgress> listener) {
        String name = stack.stackName();
        StackEvents events = StackEvents.fromNow(cfn, stack.stackId(), name);
        try {
            cfn.deleteStack(r -> r.stackName(stack.stackId()));
        } catch (SdkException e) {
            throw StackException.of("deleting stack", name, e);
        }
        Optional<Stack> last = settler.awaitOwn(stack.stackId(), name, events, listener, "be deleted");
        if (last.isEmpty() || last.get().stackStatus() == StackStatus.DELETE_COMPLETE) {
            return;
        }
        Optional<StackEvent> failure = events.firstFailure();
        String reason = failure.flatMap(StackEvent::reason)
                .or(() -> Optional.ofNullable(last.get().stackStatusReason()))
                .orElse("CloudFormation gave no reason");
        throw new StackFailedException(name, "deleting", last.get().stackStatusAsString(), reason, failure,
                "Remove what blocks the delete (often a resource still in use elsewhere, such as an export that "
                + "another stack imports: delete that stack first), then run i2kit down again; or delete the stack "
                + "in the CloudFormation console, retaining the resources it cannot delete.");
    }

    /** Operations a delete must not interrupt; a stack under review or done can be deleted at once. */
    private static boolean isBusy(Stack stack) {
        String status = stack.stackStatusAsString();
        return status.endsWith("_IN_PROGRESS") && stack.stackStatus() != StackStatus.REVIEW_IN_PROGRESS;
    }
}
