package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.provider.aws.stack.FakeCloudFormation.FakeStack;
import io.i2kit.provider.aws.stack.StackResult.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The deploy flow against {@link FakeCloudFormation}, for the states and failures moto cannot produce. */
class StackDeployerTest {
    static final StackTimings FAST = new StackTimings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(10));
    static final String TEMPLATE = "{\"Resources\": {\"Queue\": {\"Type\": \"AWS::SQS::Queue\"}}}";

    private final FakeCloudFormation cfn = new FakeCloudFormation();
    private final List<StackProgress> progress = new ArrayList<>();
    private final StackRequest request = StackRequest.of("i2kit-app-web", TEMPLATE, Map.of("ImageId", "ami-2"));

    private StackResult deploy(StackRequest r) {
        return new StackDeployer(cfn, FAST).deploy(r, progress::add);
    }

    private List<String> lines() {
        return progress.stream().map(p -> "[" + p.stackName() + "] " + p.message()).toList();
    }

    @Test
    void anAbsentStackIsCreatedAndItsEventsFollowedFromTheExecution() {
        StackResult result = deploy(request);

        assertThat(result.action()).isEqualTo(Action.CREATED);
        assertThat(result.status()).isEqualTo("CREATE_COMPLETE");
        assertThat(lines()).containsExactly(
                "[i2kit-app-web] change set " + ((StackProgress.ChangeSetCreated) progress.get(0)).changeSetName()
                        + " created with 1 change",
                "[i2kit-app-web] i2kit-app-web AWS::CloudFormation::Stack CREATE_IN_PROGRESS: User Initiated",
                "[i2kit-app-web] Queue AWS::SQS::Queue CREATE_COMPLETE",
                "[i2kit-app-web] i2kit-app-web AWS::CloudFormation::Stack CREATE_COMPLETE");
    }

    @Test
    void aStackLikeTheRequestIsLeftAloneWithoutAChangeSet() {
        FakeStack stack = cfn.stack("i2kit-app-web", "UPDATE_COMPLETE");
        stack.template = TEMPLATE.replace(" ", "");
        stack.parameters.put("ImageId", "ami-2");
        stack.outputs.put("Endpoint", "web.app.i2kit.internal:80");

        StackResult result = deploy(request);

        assertThat(result).isEqualTo(new StackResult("i2kit-app-web", Action.UNCHANGED,
                Map.of("Endpoint", "web.app.i2kit.internal:80"), "UPDATE_COMPLETE", Optional.empty()));
        assertThat(cfn.count("CreateChangeSet")).isZero();
        assertThat(lines()).containsExactly("[i2kit-app-web] no changes");
    }

    @Test
    void aChangeSetWithoutChangesIsDeletedAndTheStackUnchanged() {
        FakeStack stack = cfn.stack("i2kit-app-web", "CREATE_COMPLETE");
        stack.template = TEMPLATE;
        stack.parameters.put("ImageId", "ami-2");

        // Tags differ from the stack's, so i2kit asks; CloudFormation finds nothing to do.
        StackResult result = deploy(request.withTags(Map.of("i2kit:app", "app")));

        assertThat(result.action()).isEqualTo(Action.UNCHANGED);
        assertThat(cfn.count("CreateChangeSet")).isOne();
        assertThat(cfn.changeSets).isEmpty();
        assertThat(cfn.count("ExecuteChangeSet")).isZero();
    }

    @Test
    void aStackLeftByAFailedCreationIsDeletedAndCreatedAgain() {
        FakeStack failed = cfn.stack("i2kit-app-web", "ROLLBACK_COMPLETE");

        StackResult result = deploy(request);

        assertThat(result.action()).isEqualTo(Action.RECREATED);
        assertThat(cfn.live.get("i2kit-app-web").id).isNotEqualTo(failed.id);
        assertThat(failed.status).isEqualTo("DELETE_COMPLETE");
        assertThat(lines()).startsWith(
                "[i2kit-app-web] deleting the stack left in ROLLBACK_COMPLETE by a failed creation, to create it again",
                "[i2kit-app-web] i2kit-app-web AWS::CloudFormation::Stack DELETE_IN_PROGRESS: User Initiated",
                "[i2kit-app-web] i2kit-app-web AWS::CloudFormation::Stack DELETE_COMPLETE");
        assertThat(lines()).last().isEqualTo("[i2kit-app-web] i2kit-app-web AWS::CloudFormation::Stack CREATE_COMPLETE");
    }

    @Test
    void aRunningOperationIsWaitedForThenTheStackUpdated() {
        FakeStack busy = cfn.stack("i2kit-app-web", "UPDATE_IN_PROGRESS");
        busy.then(() -> { }).then(() -> { }).then(() -> { })
                .then(() -> busy.event("Queue", "AWS::SQS::Queue", "UPDATE_COMPLETE", null))
                .then(() -> busy.become("UPDATE_COMPLETE", null));

        StackResult result = deploy(request);

        assertThat(result.action()).isEqualTo(Action.UPDATED);
        assertThat(lines()).startsWith("[i2kit-app-web] waiting for the stack, which is UPDATE_IN_PROGRESS, to finish "
                        + "its current operation",
                "[i2kit-app-web] Queue AWS::SQS::Queue UPDATE_COMPLETE",
                "[i2kit-app-web] i2kit-app-web AWS::CloudFormation::Stack UPDATE_COMPLETE");
    }

    @Test
    void aFinalStatusFromBeforeTheExecutionIsNotTakenForItsEnd() {
        FakeStack stack = cfn.stack("i2kit-app-web", "UPDATE_COMPLETE");
        // Right after ExecuteChangeSet, DescribeStacks still shows the last operation's status.
        cfn.execution = s -> {
            s.status = "UPDATE_COMPLETE";
            s.then(() -> { }).then(() -> s.become("UPDATE_ROLLBACK_COMPLETE", null));
        };
        assertThatThrownBy(() -> deploy(request))
                .isInstanceOf(StackFailedException.class)
                .extracting(e -> ((StackFailedException) e).status()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        assertThat(stack.steps).isEmpty();
    }

    @Test
    void aFailedRollbackIsRefusedWithWhatToDo() {
        FakeStack stack = cfn.stack("i2kit-app-web", "UPDATE_ROLLBACK_FAILED");
        stack.reason = "ScalingGroup could not be rolled back";

        assertThatThrownBy(() -> deploy(request))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("it is UPDATE_ROLLBACK_FAILED, a rollback that could not finish "
                        + "(ScalingGroup could not be rolled back)")
                .hasMessageContaining("aws cloudformation continue-update-rollback --stack-name i2kit-app-web");
        assertThat(cfn.count("CreateChangeSet")).isZero();
    }

    @Test
    void aFailureCarriesTheFirstReasonNotTheCancellationsItCaused() {
        cfn.execution = s -> s
                .then(() -> s.event("Topic", "AWS::SNS::Topic", "CREATE_FAILED", "Resource creation cancelled"))
                .then(() -> s.event("ScalingGroup", "AWS::AutoScaling::AutoScalingGroup", "CREATE_FAILED",
                        "You are not authorized to use launch template"))
                .then(() -> s.event("Queue", "AWS::SQS::Queue", "CREATE_FAILED", "a later failure"))
                .then(() -> s.become("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create"))
                .then(() -> s.become("ROLLBACK_COMPLETE", null));

        assertThatThrownBy(() -> deploy(request))
                .isInstanceOfSatisfying(StackFailedException.class, e -> {
                    assertThat(e.stackName()).isEqualTo("i2kit-app-web");
                    assertThat(e.status()).isEqualTo("ROLLBACK_COMPLETE");
                    assertThat(e.reason()).isEqualTo("You are not authorized to use launch template");
                    assertThat(e.failedEvent()).map(StackEvent::logicalId).contains("ScalingGroup");
                })
                .hasMessage("creating stack i2kit-app-web failed: ScalingGroup (AWS::AutoScaling::AutoScalingGroup) "
                        + "CREATE_FAILED: You are not authorized to use launch template; the stack is now "
                        + "ROLLBACK_COMPLETE. Fix the cause and run i2kit again: it deletes the failed stack and "
                        + "creates it anew.");
    }

    @Test
    void anErrorOfExecuteChangeSetIsTheFailure() {
        cfn.executeError = Optional.of("No export named i2kit-app-VpcId found.");

        assertThatThrownBy(() -> deploy(request))
                .isInstanceOfSatisfying(StackFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo("No export named i2kit-app-VpcId found. (ExportNotFound)");
                    assertThat(e.status()).isEqualTo("REVIEW_IN_PROGRESS");
                });
    }

    @Test
    void anOperationThatOutlastsTheTimeoutIsReported() {
        FakeStack busy = cfn.stack("i2kit-app-web", "UPDATE_IN_PROGRESS");
        StackTimings brief = new StackTimings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(100));

        assertThatThrownBy(() -> new StackDeployer(cfn, brief).deploy(request, progress::add))
                .isInstanceOf(StackException.class)
                .hasMessage("waiting for stack i2kit-app-web to finish its current operation timed out after 0 s; it "
                        + "is still UPDATE_IN_PROGRESS. The operation goes on in CloudFormation: follow it in the "
                        + "console, and run i2kit again once it has ended.");
        assertThat(busy.status).isEqualTo("UPDATE_IN_PROGRESS");
    }
}
