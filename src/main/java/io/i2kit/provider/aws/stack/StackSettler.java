package io.i2kit.provider.aws.stack;

import io.i2kit.provider.Waiter;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Waits until a stack's operation ends, passing its events to the listener as they come. An
 * operation has ended when the stack's status no longer ends in {@code _IN_PROGRESS} or the stack
 * is gone. For an operation i2kit started, the stack's own event for that status must also have
 * been seen: right after ExecuteChangeSet, DescribeStacks may still show the previous operation's
 * final status.
 */
final class StackSettler {
    private static final String STACK_TYPE = "AWS::CloudFormation::Stack";

    private final CloudFormationClient cfn;
    private final StackReader reader;
    private final StackTimings timings;

    StackSettler(CloudFormationClient cfn, StackTimings timings) {
        this.cfn = cfn;
        this.reader = new StackReader(cfn);
        this.timings = timings;
    }

    /** Someone else's operation: the status alone says when it has ended. */
    Optional<Stack> awaitOther(Stack stack, Consumer<StackProgress> listener) {
        StackEvents events = StackEvents.fromNow(cfn, stack.stackId(), stack.stackName());
        return await(stack.stackId(), stack.stackName(), events, listener, false, "finish its current operation");
    }

    /** An operation i2kit started, whose events {@code events} has followed from its beginning. */
    Optional<Stack> awaitOwn(String stackId, String stackName, StackEvents events, Consumer<StackProgress> listener,
                             String doing) {
        return await(stackId, stackName, events, listener, true, doing);
    }

    private Optional<Stack> await(String stackId, String stackName, StackEvents events, Consumer<StackProgress> listener,
                                  boolean own, String doing) {
        Waiter waiter = new Waiter(timings.timeout(), timings.firstPoll(), timings.maxPoll());
        Waiter.Outcome<Optional<Stack>> outcome = waiter.await(() -> {
            Optional<Stack> stack = reader.find(stackId, stackName);
            events.poll().forEach(listener);
            if (stack.isEmpty()) {
                return Waiter.Outcome.done(stack);
            }
            String status = stack.get().stackStatusAsString();
            if (status.endsWith("_IN_PROGRESS") || own && !sawStackReach(events, stackName, status)) {
                return Waiter.Outcome.retry(status);
            }
            return Waiter.Outcome.done(stack);
        });
        return switch (outcome.state()) {
            case DONE -> outcome.value();
            case TIMED_OUT -> throw new StackException(stackName, "waiting for stack " + stackName + " to " + doing
                    + " timed out after " + timings.timeoutText() + "; it is still " + outcome.reason()
                    + ". The operation goes on in CloudFormation: follow it in the console, and run i2kit again once "
                    + "it has ended.");
            default -> throw new StackException(stackName, "waiting for stack " + stackName + " to " + doing
                    + " stopped: " + outcome.reason() + ". The operation goes on in CloudFormation.");
        };
    }

    private static boolean sawStackReach(StackEvents events, String stackName, String status) {
        return events.seen().stream().anyMatch(e -> e.logicalId().equals(stackName)
                && STACK_TYPE.equals(e.resourceType()) && e.status().equals(status));
    }
}
