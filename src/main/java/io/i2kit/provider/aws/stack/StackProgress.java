package io.i2kit.provider.aws.stack;

/**
 * What the stack operations report while they run; the CLI renders each as
 * {@code [stackName] message()}. The core never prints.
 */
public sealed interface StackProgress permits StackEvent, StackProgress.Waiting, StackProgress.DeletingFailed,
        StackProgress.ChangeSetCreated, StackProgress.Unchanged, StackProgress.Deleting {

    String stackName();

    /** The line to show after the stack's name. */
    String message();

    /** Another operation runs on the stack; i2kit waits for it before deciding what to do. */
    record Waiting(String stackName, String status) implements StackProgress {
        @Override
        public String message() {
            return "waiting for the stack, which is " + status + ", to finish its current operation";
        }
    }

    /** A stack whose creation failed cannot be updated: it is deleted, then created again. */
    record DeletingFailed(String stackName, String status) implements StackProgress {
        @Override
        public String message() {
            return "deleting the stack left in " + status + " by a failed creation, to create it again";
        }
    }

    /** A change set is ready and about to be executed. */
    record ChangeSetCreated(String stackName, String changeSetName, int changes) implements StackProgress {
        @Override
        public String message() {
            return "change set " + changeSetName + " created with " + changes + (changes == 1 ? " change" : " changes");
        }
    }

    /** The deployed template, parameters and tags are those requested: nothing to do. */
    record Unchanged(String stackName) implements StackProgress {
        @Override
        public String message() {
            return "no changes";
        }
    }

    /** A delete was requested. */
    record Deleting(String stackName) implements StackProgress {
        @Override
        public String message() {
            return "deleting the stack";
        }
    }
}
