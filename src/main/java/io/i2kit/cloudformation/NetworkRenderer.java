package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Target;
import java.util.List;

/**
 * The environment's network. A VPC and subnets given by the target are used as they are for both
 * public and private roles; i2kit then creates no network, so deleting the application never
 * deletes a VPC it did not make. Otherwise it makes a VPC with public subnets (internet-facing load
 * balancers only) and private subnets (instances and internal load balancers) in two zones.
 */
final class NetworkRenderer {
    static final String VPC = "Vpc";
    private static final String GATEWAY = "InternetGateway";
    private static final String GATEWAY_ATTACHMENT = "InternetGatewayAttachment";
    private static final String PUBLIC_ROUTES = "PublicRouteTable";
    private static final String PRIVATE_ROUTES = "PrivateRouteTable";
    private static final String VPC_CIDR = "10.0.0.0/16";
    private static final List<String> PUBLIC_CIDRS = List.of("10.0.0.0/20", "10.0.16.0/20");
    private static final List<String> PRIVATE_CIDRS = List.of("10.0.128.0/18", "10.0.192.0/18");

    private final Template template;
    private final Tags tags;

    NetworkRenderer(Template template, Tags tags) {
        this.template = template;
        this.tags = tags;
    }

    /** How many private subnets instances are spread over: the given ones, or one per zone made. */
    static int privateSubnetCount(Target target) {
        return target.vpc().isPresent() ? target.subnets().size() : PRIVATE_CIDRS.size();
    }

    Network render(Target target) {
        if (target.vpc().isPresent()) {
            JsonNode subnets = Fn.text(String.join(",", target.subnets()));
            return new Network(Fn.text(target.vpc().get()), subnets, subnets,
                    target.subnets().stream().<JsonNode>map(Fn::text).toList(), List.of());
        }
        template.resource(VPC, "AWS::EC2::VPC")
                .put("CidrBlock", VPC_CIDR)
                // both are required for the private hosted zone to answer inside the VPC
                .put("EnableDnsSupport", true)
                .put("EnableDnsHostnames", true)
                .set("Tags", tags.list());
        template.resource(GATEWAY, "AWS::EC2::InternetGateway").set("Tags", tags.list());
        template.resource(GATEWAY_ATTACHMENT, "AWS::EC2::VPCGatewayAttachment")
                .<ObjectNode>set("VpcId", Fn.ref(VPC))
                .set("InternetGatewayId", Fn.ref(GATEWAY));
        routeTable(PUBLIC_ROUTES);
        template.resource("PublicDefaultRoute", "AWS::EC2::Route")
                .<ObjectNode>set("RouteTableId", Fn.ref(PUBLIC_ROUTES))
                .put("DestinationCidrBlock", "0.0.0.0/0")
                .set("GatewayId", Fn.ref(GATEWAY));
        template.attribute("PublicDefaultRoute", "DependsOn", Fn.text(GATEWAY_ATTACHMENT));
        // No NAT gateway and no default route for the private subnets: images are immutable and
        // carry everything they run, so instances never need to reach the internet.
        routeTable(PRIVATE_ROUTES);
        JsonNode publicSubnets = subnets("Public", PUBLIC_CIDRS, PUBLIC_ROUTES);
        JsonNode privateSubnets = subnets("Private", PRIVATE_CIDRS, PRIVATE_ROUTES);
        List<JsonNode> privateList = new java.util.ArrayList<>();
        List<JsonNode> zones = new java.util.ArrayList<>();
        for (int zone = 1; zone <= PRIVATE_CIDRS.size(); zone++) {
            privateList.add(Fn.ref("PrivateSubnet" + zone));
            zones.add(Fn.getAtt("PrivateSubnet" + zone, "AvailabilityZone"));
        }
        return new Network(Fn.ref(VPC), publicSubnets, privateSubnets, privateList, zones);
    }

    private void routeTable(String logicalId) {
        template.resource(logicalId, "AWS::EC2::RouteTable")
                .<ObjectNode>set("VpcId", Fn.ref(VPC))
                .set("Tags", tags.list());
    }

    /** One subnet per availability zone; returns their ids comma-joined. */
    private JsonNode subnets(String role, List<String> cidrs, String routeTable) {
        JsonNode[] ids = new JsonNode[cidrs.size()];
        for (int zone = 0; zone < cidrs.size(); zone++) {
            String subnet = role + "Subnet" + (zone + 1);
            template.resource(subnet, "AWS::EC2::Subnet")
                    .<ObjectNode>set("VpcId", Fn.ref(VPC))
                    .put("CidrBlock", cidrs.get(zone))
                    .<ObjectNode>set("AvailabilityZone", Fn.select(zone, Fn.availabilityZones()))
                    .set("Tags", tags.with("Name", Fn.text(role.toLowerCase(java.util.Locale.ROOT) + "-" + (zone + 1))).list());
            template.resource(subnet + "RouteTableAssociation", "AWS::EC2::SubnetRouteTableAssociation")
                    .<ObjectNode>set("SubnetId", Fn.ref(subnet))
                    .set("RouteTableId", Fn.ref(routeTable));
            ids[zone] = Fn.ref(subnet);
        }
        return Fn.join(",", ids);
    }
}
