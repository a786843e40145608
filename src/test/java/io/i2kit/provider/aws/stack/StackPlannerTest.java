package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.provider.aws.stack.FakeCloudFormation.FakeStack;
import io.i2kit.provider.aws.stack.StackPlan.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plans of stacks in states moto cannot make; {@link StackPlannerIT} plans the polls example on moto. */
class StackPlannerTest {
    private static final String SERVICE = """
            {"Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup",
                                     "Properties": {"VpcId": {"Fn::ImportValue": "i2kit-app-VpcId"}}}}}
            """;

    private final FakeCloudFormation cfn = new FakeCloudFormation();
    private final StackPlanner planner = new StackPlanner(cfn, StackDeployerTest.FAST);

    @Test
    void aStackLeftByAFailedCreationIsPlannedAsRecreatedWithoutAChangeSet() {
        cfn.stack("i2kit-app-web", "ROLLBACK_COMPLETE");

        List<StackPlan> plans = planner.plan(List.of(StackRequest.of("i2kit-app-web", StackDeployerTest.TEMPLATE,
                Map.of())));

        assertThat(plans).containsExactly(new StackPlan("i2kit-app-web", Operation.RECREATE,
                List.of(ResourceChange.add("Queue", "AWS::SQS::Queue")), List.of(), Optional.empty()));
        assertThat(cfn.count("CreateChangeSet")).isZero();
    }

    @Test
    void aNewStackMadeForTheChangeSetIsDeletedButAStackUnderReviewIsKept() {
        FakeStack review = cfn.stack("i2kit-app-db", "REVIEW_IN_PROGRESS");

        List<StackPlan> plans = planner.plan(List.of(
                StackRequest.of("i2kit-app-web", StackDeployerTest.TEMPLATE, Map.of()),
                StackRequest.of("i2kit-app-db", StackDeployerTest.TEMPLATE, Map.of())));

        assertThat(plans).extracting(StackPlan::operation).containsExactly(Operation.CREATE, Operation.CREATE);
        assertThat(plans.get(0).changes()).containsExactly(ResourceChange.add("Queue", "AWS::SQS::Queue"));
        assertThat(cfn.changeSets).isEmpty();
        assertThat(cfn.live).containsOnlyKeys("i2kit-app-db");
        assertThat(review.status).isEqualTo("REVIEW_IN_PROGRESS");
    }

    @Test
    void missingExportsOfAStackNotCreatedByThePlanAreReported() {
        StackRequest web = StackRequest.of("i2kit-app-web", SERVICE, Map.of()).withDependsOn("i2kit-app");

        assertThatThrownBy(() -> planner.plan(List.of(web)))
                .isInstanceOf(StackException.class)
                .hasMessage("planning stack i2kit-app-web failed: its template imports exports that do not exist: "
                        + "i2kit-app-VpcId, and no stack this plan creates provides them (they come from i2kit-app). "
                        + "Deploy i2kit-app first, then plan again.");
    }

    @Test
    void aServiceIsPlannedFromItsTemplateAfterTheEnvironmentThatTheSamePlanCreates() {
        StackRequest web = StackRequest.of("i2kit-app-web", SERVICE, Map.of()).withDependsOn("i2kit-app");
        StackRequest environment = StackRequest.of("i2kit-app", StackDeployerTest.TEMPLATE, Map.of());

        // Listed before the environment: the planner plans the environment first all the same.
        List<StackPlan> plans = planner.plan(List.of(web, environment));

        assertThat(plans.get(0)).isEqualTo(new StackPlan("i2kit-app-web", Operation.CREATE,
                List.of(ResourceChange.add("Group", "AWS::EC2::SecurityGroup")), List.of(), Optional.of("i2kit-app")));
        assertThat(plans.get(1).operation()).isEqualTo(Operation.CREATE);
        assertThat(cfn.count("CreateChangeSet")).isOne();
        assertThat(cfn.live).isEmpty();
    }

    @Test
    void exportsThatExistLetTheServiceBePlannedThroughAChangeSet() {
        cfn.exports.add("i2kit-app-VpcId");

        List<StackPlan> plans = planner.plan(List.of(StackRequest.of("i2kit-app-web", SERVICE, Map.of())
                .withDependsOn("i2kit-app")));

        assertThat(plans.get(0).after()).isEmpty();
        assertThat(cfn.count("CreateChangeSet")).isOne();
    }
}
