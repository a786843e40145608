package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where an application's resources live, as template values: the VPC id and the comma-joined
 * subnets for internet-facing load balancers and for everything else.
 */
record Network(JsonNode vpcId, JsonNode publicSubnets, JsonNode privateSubnets) {
}
