package io.i2kit.provider.aws.stack;

import static io.i2kit.provider.aws.stack.DeployDecision.CREATE;
import static io.i2kit.provider.aws.stack.DeployDecision.RECREATE;
import static io.i2kit.provider.aws.stack.DeployDecision.REFUSE;
import static io.i2kit.provider.aws.stack.DeployDecision.UPDATE;
import static io.i2kit.provider.aws.stack.DeployDecision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Every status a stack can be in. Moto never produces most of them (it creates, updates and
 * deletes synchronously and never rolls back), so the waits, recreations and refusals are checked
 * here and in {@link StackDeployerTest}, not against the emulator.
 */
class DeployDecisionTest {
    private static final Map<StackStatus, DeployDecision> EXPECTED = Map.ofEntries(
            Map.entry(StackStatus.CREATE_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.CREATE_FAILED, RECREATE),
            Map.entry(StackStatus.CREATE_COMPLETE, UPDATE),
            Map.entry(StackStatus.ROLLBACK_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.ROLLBACK_FAILED, RECREATE),
            Map.entry(StackStatus.ROLLBACK_COMPLETE, RECREATE),
            Map.entry(StackStatus.DELETE_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.DELETE_FAILED, REFUSE),
            Map.entry(StackStatus.DELETE_COMPLETE, CREATE),
            Map.entry(StackStatus.UPDATE_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.UPDATE_COMPLETE, UPDATE),
            Map.entry(StackStatus.UPDATE_FAILED, UPDATE),
            Map.entry(StackStatus.UPDATE_ROLLBACK_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.UPDATE_ROLLBACK_FAILED, REFUSE),
            Map.entry(StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.UPDATE_ROLLBACK_COMPLETE, UPDATE),
            Map.entry(StackStatus.REVIEW_IN_PROGRESS, CREATE),
            Map.entry(StackStatus.IMPORT_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.IMPORT_COMPLETE, UPDATE),
            Map.entry(StackStatus.IMPORT_ROLLBACK_IN_PROGRESS, WAIT),
            Map.entry(StackStatus.IMPORT_ROLLBACK_FAILED, REFUSE),
            Map.entry(StackStatus.IMPORT_ROLLBACK_COMPLETE, UPDATE),
            Map.entry(StackStatus.UNKNOWN_TO_SDK_VERSION, REFUSE));

    @ParameterizedTest
    @EnumSource(StackStatus.class)
    void everyStatusHasItsDecision(StackStatus status) {
        assertThat(EXPECTED).as("expected decision for " + status).containsKey(status);
        assertThat(DeployDecision.forStatus(status)).isEqualTo(EXPECTED.get(status));
    }

    @Test
    void anAbsentStackIsCreated() {
        assertThat(DeployDecision.forStatus(Optional.empty())).isEqualTo(CREATE);
    }

    @Test
    void everyInProgressStatusButReviewIsWaitedFor() {
        for (StackStatus status : StackStatus.values()) {
            boolean inProgress = status.toString().endsWith("_IN_PROGRESS") && status != StackStatus.REVIEW_IN_PROGRESS;
            assertThat(DeployDecision.forStatus(status) == WAIT).as(status.toString()).isEqualTo(inProgress);
        }
    }

    @Test
    void aFailedRollbackIsRefusedWithTheCommandThatContinuesIt() {
        String message = DeployDecision.refusal("i2kit-polls-vote", StackStatus.UPDATE_ROLLBACK_FAILED,
                Optional.of("ScalingGroup failed to roll back"));
        assertThat(message).isEqualTo("cannot deploy stack i2kit-polls-vote: it is UPDATE_ROLLBACK_FAILED, a rollback "
                + "that could not finish (ScalingGroup failed to roll back). Fix what blocked the rollback, continue it "
                + "in the CloudFormation console (Stack actions, Continue update rollback) or with `aws cloudformation "
                + "continue-update-rollback --stack-name i2kit-polls-vote`, then run i2kit again.");
    }

    @Test
    void aFailedDeleteIsRefusedWithItsReasonAndWhatToDo() {
        String message = DeployDecision.refusal("i2kit-polls", StackStatus.DELETE_FAILED,
                Optional.of("Export i2kit-polls-VpcId is in use"));
        assertThat(message).startsWith("cannot deploy stack i2kit-polls: an earlier delete failed and left it "
                        + "DELETE_FAILED (Export i2kit-polls-VpcId is in use).")
                .contains("aws cloudformation delete-stack --stack-name i2kit-polls");
    }
}
