package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Where an application's resources live, as template values: the VPC id and the comma-joined
 * subnets for internet-facing load balancers and for everything else; each private subnet, and its
 * zone when i2kit made it (a given VPC's zones are stack parameters: empty here).
 */
record Network(JsonNode vpcId, JsonNode publicSubnets, JsonNode privateSubnets, List<JsonNode> privateSubnetList,
               List<JsonNode> privateSubnetZones) {
    Network {
        privateSubnetList = List.copyOf(privateSubnetList);
        privateSubnetZones = List.copyOf(privateSubnetZones);
    }
}
