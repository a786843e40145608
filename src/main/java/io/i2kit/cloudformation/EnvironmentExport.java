package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the environment stack exports for the service stacks. Service stacks read nothing else, and
 * never each other's outputs, so they can be deployed in any order or all at once.
 */
enum EnvironmentExport {
    VPC_ID("VpcId"),
    PUBLIC_SUBNETS("PublicSubnets"),
    PRIVATE_SUBNETS("PrivateSubnets"),
    APP_SECURITY_GROUP("AppSecurityGroup"),
    HOSTED_ZONE_ID("HostedZoneId"),
    INSTANCE_PROFILE("InstanceProfile"),
    /**
     * Each private subnet and its zone, numbered from 1 ({@code PrivateSubnet1}, {@code
     * PrivateSubnetZone1}): a replica of a stateful service is pinned to one; only with stateful
     * services. One export each, because a service stack cannot index into an imported list
     * without losing every check cfn-lint makes on it.
     */
    PRIVATE_SUBNET("PrivateSubnet"),
    PRIVATE_SUBNET_ZONE("PrivateSubnetZone");

    private final String outputName;

    EnvironmentExport(String outputName) {
        this.outputName = outputName;
    }

    String outputName() {
        return outputName;
    }

    /** Export names are account-wide per region, hence the application in them. */
    String exportName(String application) {
        return CloudFormationRenderer.environmentStackName(application) + "-" + outputName;
    }

    /** Output name of the {@code index}th (from 1) of a numbered export. */
    String outputName(int index) {
        return outputName + index;
    }

    ObjectNode importValue(String application, int index) {
        return Fn.importValue(exportName(application) + index);
    }

    ObjectNode importValue(String application) {
        return Fn.importValue(exportName(application));
    }

    /** Lists travel as comma-joined strings because an export holds one string. */
    ObjectNode importList(String application) {
        return Fn.split(",", importValue(application));
    }
}
