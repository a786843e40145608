package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.provider.aws.stack.FakeCloudFormation.FakeStack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackRemoverTest {
    private final FakeCloudFormation cfn = new FakeCloudFormation();
    private final List<StackProgress> progress = new ArrayList<>();
    private final StackRemover remover = new StackRemover(cfn, StackDeployerTest.FAST);

    @Test
    void anAbsentStackIsNothingToDo() {
        assertThat(remover.delete("i2kit-app", progress::add)).isEqualTo(new StackRemoval("i2kit-app", false));
        assertThat(cfn.count("DeleteStack")).isZero();
    }

    @Test
    void aStackIsDeletedAndItsEventsFollowed() {
        cfn.stack("i2kit-app", "CREATE_COMPLETE");

        assertThat(remover.delete("i2kit-app", progress::add)).isEqualTo(new StackRemoval("i2kit-app", true));
        assertThat(progress).extracting(StackProgress::message).containsExactly("deleting the stack",
                "i2kit-app AWS::CloudFormation::Stack DELETE_IN_PROGRESS: User Initiated",
                "i2kit-app AWS::CloudFormation::Stack DELETE_COMPLETE");
        assertThat(cfn.live).isEmpty();
    }

    @Test
    void aFailedDeleteCarriesItsFirstReason() {
        cfn.stack("i2kit-app", "UPDATE_COMPLETE");
        cfn.deletion = s -> s
                .then(() -> s.event("Vpc", "AWS::EC2::VPC", "DELETE_FAILED", "The vpc has dependencies"))
                .then(() -> s.become("DELETE_FAILED", "The following resource(s) failed to delete: [Vpc]."));

        assertThatThrownBy(() -> remover.delete("i2kit-app", progress::add))
                .isInstanceOfSatisfying(StackFailedException.class, e -> {
                    assertThat(e.status()).isEqualTo("DELETE_FAILED");
                    assertThat(e.reason()).isEqualTo("The vpc has dependencies");
                })
                .hasMessageStartingWith("deleting stack i2kit-app failed: Vpc (AWS::EC2::VPC) DELETE_FAILED: The vpc "
                        + "has dependencies; the stack is now DELETE_FAILED. Remove what blocks the delete");
    }

    @Test
    void aRunningUpdateIsWaitedForBeforeTheDelete() {
        FakeStack busy = cfn.stack("i2kit-app", "UPDATE_IN_PROGRESS");
        busy.then(() -> { }).then(() -> busy.become("UPDATE_COMPLETE", null));

        assertThat(remover.delete("i2kit-app", progress::add).existed()).isTrue();
        assertThat(progress.get(0)).isEqualTo(new StackProgress.Waiting("i2kit-app", "UPDATE_IN_PROGRESS"));
        assertThat(busy.status).isEqualTo("DELETE_COMPLETE");
    }
}
