package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.aws.stack.StackPlan.Operation;
import io.i2kit.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Plans of the polls example against moto, before and after it is deployed. */
class StackPlannerIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();

    private static final PollsStacks POLLS = new PollsStacks();
    private final CloudFormationClient cfn;
    private final Ec2Client ec2;
    private final software.amazon.awssdk.services.route53.Route53Client route53;

    private StackPlanner planner;
    private String image;

    StackPlannerIT(CloudFormationClient cfn, Ec2Client ec2, software.amazon.awssdk.services.route53.Route53Client route53) {
        this.cfn = cfn;
        this.ec2 = ec2;
        this.route53 = route53;
    }

    @BeforeEach
    void emptyEmulator() {
        MOTO.reset();
        PollsStacks.createPublicZone(route53);
        planner = new StackPlanner(cfn, PollsStacks.FAST);
        image = PollsStacks.registerImage(ec2, "polls-1");
    }

    @Test
    void aFirstDeployIsPlannedAndLeavesNothingBehind() {
        List<StackPlan> plans = planner.plan(POLLS.all(image));

        assertThat(plans).extracting(StackPlan::stackName).containsExactly("i2kit-polls", "i2kit-polls-vote",
                "i2kit-polls-queue", "i2kit-polls-worker", "i2kit-polls-db", "i2kit-polls-result");
        StackPlan environment = plans.get(0);
        assertThat(environment.operation()).isEqualTo(Operation.CREATE);
        assertThat(environment.after()).isEmpty();
        // 18, and for the stateful db the policy that snapshots its volumes, with its role.
        assertThat(environment.changes()).hasSize(20).allMatch(c -> c.action() == ResourceChange.Action.ADD)
                .contains(ResourceChange.add("Vpc", "AWS::EC2::VPC"),
                        ResourceChange.add("InstanceRole", "AWS::IAM::Role"),
                        ResourceChange.add("SnapshotPolicy", "AWS::DLM::LifecyclePolicy"));
        for (StackPlan service : plans.subList(1, plans.size())) {
            assertThat(service.operation()).as(service.stackName()).isEqualTo(Operation.CREATE);
            assertThat(service.after()).contains("i2kit-polls");
            // A stateful service (db) has a scaling group per replica, each with its own volume.
            String group = service.stackName().equals("i2kit-polls-db") ? "ScalingGroupR1" : "ScalingGroup";
            assertThat(service.changes()).allMatch(c -> c.action() == ResourceChange.Action.ADD)
                    .contains(ResourceChange.add(group, "AWS::AutoScaling::AutoScalingGroup"));
        }
        assertThat(plans.get(1).changes()).contains(
                ResourceChange.add("LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer"));

        assertThat(cfn.listStacks().stackSummaries()).extracting(StackSummary::stackStatus)
                .containsOnly(StackStatus.DELETE_COMPLETE);
        assertThat(cfn.listChangeSets(r -> r.stackName("i2kit-polls")).summaries()).isEmpty();
        assertThat(cfn.listExports().exports()).isEmpty();
    }

    @Test
    void afterADeployOnlyTheStackWithAChangedParameterHasChanges() {
        StackDeployer deployer = new StackDeployer(cfn, PollsStacks.FAST);
        List<StackRequest> deployed = POLLS.all(image);
        deployed.forEach(r -> deployer.deploy(r, progress -> { }));
        int changeSets = cfn.listChangeSets(r -> r.stackName("i2kit-polls")).summaries().size();
        String next = PollsStacks.registerImage(ec2, "vote-2");
        List<StackRequest> requests = new ArrayList<>(deployed);
        requests.set(1, POLLS.service("vote", next));

        List<StackPlan> plans = planner.plan(requests);

        assertThat(plans).filteredOn(StackPlan::hasChanges).singleElement().satisfies(vote -> {
            assertThat(vote.stackName()).isEqualTo("i2kit-polls-vote");
            assertThat(vote.operation()).isEqualTo(Operation.UPDATE);
            assertThat(vote.changedParameters()).containsExactly("ImageId", "ImageDigest");
            assertThat(vote.after()).isEqualTo(Optional.empty());
            // Moto lists no resource change when only a parameter changes; CloudFormation lists the
            // launch template (Modify) and the scaling group it replaces.
        });
        assertThat(plans).filteredOn(p -> !p.hasChanges()).hasSize(5)
                .allSatisfy(p -> assertThat(p).isEqualTo(StackPlan.unchanged(p.stackName())));
        assertThat(cfn.listChangeSets(r -> r.stackName("i2kit-polls")).summaries()).hasSize(changeSets);
    }

    /** Discovery by use: a new service that no other service uses leaves every other stack unchanged. */
    @Test
    void addingAServiceNobodyUsesPlansItsOwnStackOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        StackDeployer deployer = new StackDeployer(cfn, PollsStacks.FAST);
        POLLS.all(image).forEach(r -> deployer.deploy(r, progress -> { }));

        List<StackPlan> plans = planner.plan(PollsStacks.withAudit(dir).all(image));

        assertThat(plans).filteredOn(StackPlan::hasChanges).singleElement().satisfies(audit -> {
            assertThat(audit.stackName()).isEqualTo("i2kit-polls-audit");
            assertThat(audit.operation()).isEqualTo(Operation.CREATE);
        });
        assertThat(plans).filteredOn(p -> !p.hasChanges()).extracting(StackPlan::stackName).containsExactly(
                "i2kit-polls", "i2kit-polls-vote", "i2kit-polls-queue", "i2kit-polls-worker", "i2kit-polls-db",
                "i2kit-polls-result");
        assertThat(plans).filteredOn(p -> !p.hasChanges())
                .allSatisfy(p -> assertThat(p).isEqualTo(StackPlan.unchanged(p.stackName())));
    }
}
