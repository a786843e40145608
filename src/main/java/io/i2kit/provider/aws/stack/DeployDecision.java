package io.i2kit.provider.aws.stack;

import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/** What a deploy does with a stack in a given status; a pure function of the status. */
enum DeployDecision {
    /** No stack, or one holding only an unexecuted change set: a CREATE change set. */
    CREATE,
    /** A stable stack: an UPDATE change set. */
    UPDATE,
    /** Another operation is running: wait for it to end, then decide again. */
    WAIT,
    /** A creation failed and rolled back: such a stack can only be deleted, then created again. */
    RECREATE,
    /** Stuck in a state that needs a person (a rollback or delete that failed): say what to do. */
    REFUSE;

    static DeployDecision forStatus(Optional<StackStatus> status) {
        return status.map(DeployDecision::forStatus).orElse(CREATE);
    }

    static DeployDecision forStatus(StackStatus status) {
        return switch (status) {
            case REVIEW_IN_PROGRESS, DELETE_COMPLETE -> CREATE;
            // UPDATE_FAILED is reached only by stacks whose rollback was disabled; those may be updated.
            case CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, IMPORT_COMPLETE, IMPORT_ROLLBACK_COMPLETE,
                    UPDATE_FAILED -> UPDATE;
            case CREATE_FAILED, ROLLBACK_COMPLETE, ROLLBACK_FAILED -> RECREATE;
            case CREATE_IN_PROGRESS, ROLLBACK_IN_PROGRESS, DELETE_IN_PROGRESS, UPDATE_IN_PROGRESS,
                    UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS,
                    UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, IMPORT_IN_PROGRESS, IMPORT_ROLLBACK_IN_PROGRESS -> WAIT;
            case UPDATE_ROLLBACK_FAILED, DELETE_FAILED, IMPORT_ROLLBACK_FAILED, UNKNOWN_TO_SDK_VERSION -> REFUSE;
        };
    }

    /** Why a stack in a REFUSE status is left alone, and what its owner can do. */
    static String refusal(String stackName, StackStatus status, Optional<String> statusReason) {
        String why = statusReason.map(r -> " (" + r + ")").orElse("");
        switch (status) {
            case UPDATE_ROLLBACK_FAILED:
                return "cannot deploy stack " + stackName + ": it is " + status + ", a rollback that could not finish"
                        + why + ". Fix what blocked the rollback, continue it in the CloudFormation console (Stack "
                        + "actions, Continue update rollback) or with `aws cloudformation continue-update-rollback "
                        + "--stack-name " + stackName + "`, then run i2kit again.";
            case DELETE_FAILED:
                return "cannot deploy stack " + stackName + ": an earlier delete failed and left it DELETE_FAILED"
                        + why + ". Remove what blocked the delete, delete the stack in the CloudFormation console or "
                        + "with `aws cloudformation delete-stack --stack-name " + stackName + "` (i2kit down does "
                        + "the same), then run i2kit again.";
            default:
                return "cannot deploy stack " + stackName + ": its status " + status + " is not one i2kit knows"
                        + why + ". Check the stack in the CloudFormation console; a newer i2kit may know it.";
        }
    }
}
