package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.MotoServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Deleting the polls example's stacks from moto: services first, then the environment. */
class StackRemoverIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();

    private static final PollsStacks POLLS = new PollsStacks();
    private final CloudFormationClient cfn;
    private final Ec2Client ec2;
    private final software.amazon.awssdk.services.route53.Route53Client route53;

    StackRemoverIT(CloudFormationClient cfn, Ec2Client ec2, software.amazon.awssdk.services.route53.Route53Client route53) {
        this.cfn = cfn;
        this.ec2 = ec2;
        this.route53 = route53;
    }

    @Test
    void servicesThenTheEnvironmentAreDeletedLeavingNoStackNorExport() {
        StackDeployer deployer = new StackDeployer(cfn, PollsStacks.FAST);
        PollsStacks.createPublicZone(route53);
        List<StackRequest> requests = POLLS.all(PollsStacks.registerImage(ec2, "polls-1"));
        requests.forEach(r -> deployer.deploy(r, progress -> { }));
        // 6, and for the stateful db each private subnet and its zone.
        assertThat(cfn.listExports().exports()).hasSize(10);
        StackRemover remover = new StackRemover(cfn, PollsStacks.FAST);
        List<StackProgress> progress = new ArrayList<>();

        List<StackRequest> servicesFirst = new ArrayList<>(requests);
        Collections.reverse(servicesFirst);
        for (StackRequest r : servicesFirst) {
            assertThat(remover.delete(r.stackName(), progress::add)).isEqualTo(new StackRemoval(r.stackName(), true));
        }

        assertThat(cfn.listStacks().stackSummaries()).hasSize(6).extracting(StackSummary::stackStatus)
                .containsOnly(StackStatus.DELETE_COMPLETE);
        assertThat(cfn.listExports().exports()).isEmpty();
        assertThat(progress).filteredOn(p -> p.stackName().equals("i2kit-polls")).extracting(StackProgress::message)
                .containsExactly("deleting the stack",
                        "i2kit-polls AWS::CloudFormation::Stack DELETE_IN_PROGRESS: User Initiated",
                        "i2kit-polls AWS::CloudFormation::Stack DELETE_COMPLETE");
        assertThat(remover.delete("i2kit-polls", progress::add)).isEqualTo(new StackRemoval("i2kit-polls", false));
    }
}
