package io.i2kit.provider.aws.stack;

import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Finds a stack and decides what a deploy does with it: waits out an operation that is running,
 * refuses a stack stuck in a failed rollback or delete, and otherwise returns the decision.
 */
final class StackInspector {
    /** A stack someone keeps changing is not waited for forever, even when each wait is short. */
    private static final int MAX_WAITS = 3;

    private final StackReader reader;
    private final StackSettler settler;

    StackInspector(CloudFormationClient cfn, StackTimings timings) {
        this.reader = new StackReader(cfn);
        this.settler = new StackSettler(cfn, timings);
    }

    /** The stack as found (empty when absent) and what to do with it: never WAIT or REFUSE. */
    record Inspection(Optional<Stack> stack, DeployDecision decision) {
    }

    Inspection inspect(String stackName, Consumer<StackProgress> listener) {
        for (int waits = 0; ; waits++) {
            Optional<Stack> stack = reader.find(stackName, stackName);
            DeployDecision decision = DeployDecision.forStatus(stack.map(Stack::stackStatus));
            if (decision == DeployDecision.REFUSE) {
                Stack s = stack.orElseThrow();
                throw new StackException(stackName, DeployDecision.refusal(stackName, s.stackStatus(),
                        Optional.ofNullable(s.stackStatusReason())));
            }
            if (decision != DeployDecision.WAIT) {
                return new Inspection(stack, decision);
            }
            if (waits == MAX_WAITS) {
                throw new StackException(stackName, "cannot deploy stack " + stackName + ": another operation started "
                        + "on it each time the last one ended (" + MAX_WAITS + " times); it is "
                        + stack.get().stackStatusAsString() + ". Check who else deploys it, then run i2kit again.");
            }
            listener.accept(new StackProgress.Waiting(stackName, stack.get().stackStatusAsString()));
            settler.awaitOther(stack.get(), listener);
        }
    }
}
