package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.provider.aws.stack.StackResult.Action;
import io.i2kit.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

/**
 * Deploys the polls example's stacks to moto. Moto creates and executes change sets at once and
 * never rolls back (a failure comes back as an error of ExecuteChangeSet), so waits, rollbacks and
 * recreations are covered by {@link StackDeployerTest} and {@link DeployDecisionTest} instead.
 */
class StackDeployerIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();

    private static final PollsStacks POLLS = new PollsStacks();
    private final CloudFormationClient cfn;
    private final Ec2Client ec2;
    private final software.amazon.awssdk.services.route53.Route53Client route53;

    private final List<StackProgress> progress = new ArrayList<>();
    private StackDeployer deployer;
    private String image;

    StackDeployerIT(CloudFormationClient cfn, Ec2Client ec2, software.amazon.awssdk.services.route53.Route53Client route53) {
        this.cfn = cfn;
        this.ec2 = ec2;
        this.route53 = route53;
    }

    @BeforeEach
    void emptyEmulator() {
        MOTO.reset();
        PollsStacks.createPublicZone(route53);
        deployer = new StackDeployer(cfn, PollsStacks.FAST);
        image = PollsStacks.registerImage(ec2, "vote-1");
    }

    @Test
    void theEnvironmentThenAServiceAreCreatedWithTheirOutputs() {
        StackResult environment = deployer.deploy(POLLS.environment(), progress::add);
        StackResult vote = deployer.deploy(POLLS.service("vote", image), progress::add);

        assertThat(environment.action()).isEqualTo(Action.CREATED);
        assertThat(environment.status()).isEqualTo("CREATE_COMPLETE");
        // polls has a stateful service (db): its replicas are pinned to a private subnet and its zone.
        assertThat(environment.outputs()).containsOnlyKeys("VpcId", "PublicSubnets", "PrivateSubnets",
                "AppSecurityGroup", "HostedZoneId", "InstanceProfile", "PrivateSubnet1", "PrivateSubnet2",
                "PrivateSubnetZone1", "PrivateSubnetZone2");
        assertThat(environment.outputs().get("PrivateSubnet1")).startsWith("subnet-");
        assertThat(environment.outputs().get("PrivateSubnetZone1")).isNotEmpty();
        assertThat(environment.outputs().get("VpcId")).startsWith("vpc-");
        assertThat(vote.action()).isEqualTo(Action.CREATED);
        assertThat(vote.replaced()).as("a created stack replaced nothing").isEmpty();
        assertThat(vote.outputs()).containsEntry("Endpoint", "vote.polls.i2kit.internal:80")
                .containsKeys("LoadBalancerDnsName", "PublicUrl");
        assertThat(progress).filteredOn(p -> p instanceof StackProgress.ChangeSetCreated).hasSize(2);
        assertThat(progress).filteredOn(p -> p instanceof StackEvent).extracting(p -> p.stackName() + " " + p.message())
                .containsSubsequence(
                        "i2kit-polls i2kit-polls AWS::CloudFormation::Stack CREATE_IN_PROGRESS: User Initiated",
                        "i2kit-polls i2kit-polls AWS::CloudFormation::Stack CREATE_COMPLETE",
                        "i2kit-polls-vote i2kit-polls-vote AWS::CloudFormation::Stack CREATE_COMPLETE")
                .noneMatch(line -> line.contains("REVIEW_IN_PROGRESS"));
    }

    @Test
    void deployingAgainUnchangedMakesNoChangeSet() {
        deployer.deploy(POLLS.environment(), progress::add);
        StackResult first = deployer.deploy(POLLS.service("vote", image), progress::add);
        int changeSets = cfn.listChangeSets(r -> r.stackName("i2kit-polls-vote")).summaries().size();
        int events = cfn.describeStackEvents(r -> r.stackName("i2kit-polls-vote")).stackEvents().size();
        progress.clear();

        StackResult environment = deployer.deploy(POLLS.environment(), progress::add);
        StackResult again = deployer.deploy(POLLS.service("vote", image), progress::add);

        assertThat(environment.action()).isEqualTo(Action.UNCHANGED);
        assertThat(again.action()).isEqualTo(Action.UNCHANGED);
        assertThat(again.outputs()).isEqualTo(first.outputs());
        assertThat(cfn.listChangeSets(r -> r.stackName("i2kit-polls-vote")).summaries()).hasSize(changeSets);
        assertThat(cfn.describeStackEvents(r -> r.stackName("i2kit-polls-vote")).stackEvents()).hasSize(events);
        assertThat(progress).containsExactly(new StackProgress.Unchanged("i2kit-polls"),
                new StackProgress.Unchanged("i2kit-polls-vote"));
    }

    @Test
    void aNewImageUpdatesTheServiceAndItsLaunchTemplate() {
        deployer.deploy(POLLS.environment(), progress::add);
        deployer.deploy(POLLS.service("vote", image), progress::add);
        String next = PollsStacks.registerImage(ec2, "vote-2");

        StackResult updated = deployer.deploy(POLLS.service("vote", next), progress::add);

        assertThat(updated.action()).isEqualTo(Action.UPDATED);
        assertThat(updated.status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(updated.replaced()).as("what ran before, for a rollback").hasValueSatisfying(before -> {
            assertThat(before.parameters()).containsEntry("ImageId", image);
            assertThat(before.templateBody()).isEqualTo(POLLS.service("vote", image).templateBody());
        });
        assertThat(cfn.describeStacks(r -> r.stackName("i2kit-polls-vote")).stacks().get(0).parameters())
                .anySatisfy(p -> assertThat(p.parameterKey() + "=" + p.parameterValue()).isEqualTo("ImageId=" + next));
        // Moto gives the launch template a new version but leaves the scaling group and its instances
        // on the old one (real CloudFormation replaces the group: AutoScalingReplacingUpdate).
        String launchTemplate = cfn.describeStackResource(r -> r.stackName("i2kit-polls-vote")
                .logicalResourceId("LaunchTemplate")).stackResourceDetail().physicalResourceId();
        List<LaunchTemplateVersion> versions = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(launchTemplate))
                .launchTemplateVersions();
        LaunchTemplateVersion latest = versions.stream()
                .max((a, b) -> Long.compare(a.versionNumber(), b.versionNumber())).orElseThrow();
        assertThat(latest.launchTemplateData().imageId()).isEqualTo(next);
    }

    @Test
    void aFailedCreationCarriesItsReasonAndTheNextDeployCreatesTheStack() {
        // Without the environment stack, the service's Fn::ImportValue names exports that do not exist.
        assertThatThrownBy(() -> deployer.deploy(POLLS.service("vote", image), progress::add))
                .isInstanceOfSatisfying(StackFailedException.class, e -> {
                    assertThat(e.stackName()).isEqualTo("i2kit-polls-vote");
                    assertThat(e.reason()).startsWith("No export named i2kit-polls-").endsWith("found. (ExportNotFound)");
                })
                .hasMessageStartingWith("creating stack i2kit-polls-vote failed: No export named i2kit-polls-");

        deployer.deploy(POLLS.environment(), progress::add);
        StackResult vote = deployer.deploy(POLLS.service("vote", image), progress::add);

        assertThat(vote.action()).isEqualTo(Action.CREATED);
        assertThat(vote.status()).isEqualTo("CREATE_COMPLETE");
    }
}
