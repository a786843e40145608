package io.i2kit.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Volume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Volumes, snapshots, per-replica groups and the instance role of stateful services and services
 * that read secrets, checked on the parsed templates of the stateful fixture (three replicas with
 * two volumes each; a worker with two secrets) for both kinds of network.
 */
class StatefulRenderingTest {
    private static final String ARN = "arn:${AWS::Partition}:";

    static List<Fixtures.Case> cases() {
        return Fixtures.goldenCases().stream().filter(c -> c.name().startsWith("stateful")).toList();
    }

    private record Rendered(Discovery discovery, JsonNode environment, Map<String, JsonNode> services) {
        static Rendered of(Fixtures.Case c) {
            Discovery discovery = Fixtures.discovery(c.manifest(), c.target());
            List<RenderedTemplate> templates = CloudFormationRenderer.render(discovery, c.target());
            Map<String, JsonNode> services = new HashMap<>();
            templates.stream().skip(1).forEach(t -> services.put(t.fileName().replaceAll("^service-|\\.json$", ""),
                    Fixtures.parse(t)));
            return new Rendered(discovery, Fixtures.parse(templates.get(0)), services);
        }

        Service service(String name) {
            return discovery.application().service(name).orElseThrow();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyReplicaHasItsOwnEncryptedGp3VolumesKeptOnDeletion(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        Service db = r.service("db");
        JsonNode t = r.services.get("db");
        List<JsonNode> volumes = CloudFormationRendererTest.resources(t, "AWS::EC2::Volume");
        assertThat(volumes).hasSize(db.replicas() * db.volumes().size());
        Set<String> seen = new HashSet<>();
        for (int replica = 1; replica <= db.replicas(); replica++) {
            for (Volume volume : db.volumes()) {
                JsonNode v = t.at("/Resources/" + LogicalIds.volume(volume.name(), replica));
                assertThat(v.path("Type").asText()).isEqualTo("AWS::EC2::Volume");
                JsonNode p = v.path("Properties");
                assertThat(p.path("VolumeType").asText()).isEqualTo("gp3");
                assertThat(p.path("Encrypted").asBoolean()).isTrue();
                assertThat(p.path("Size").asInt()).isEqualTo(volume.sizeGiB()).isPositive();
                assertThat(v.path("DeletionPolicy").asText()).isIn("Retain", "Snapshot");
                assertThat(v.path("UpdateReplacePolicy").asText()).isEqualTo("Snapshot");
                assertThat(tags(p.path("Tags"))).containsEntry("i2kit:application", "notes").containsEntry("i2kit:service", "db")
                        .containsEntry("i2kit:replica", Integer.toString(replica)).containsEntry("i2kit:volume", volume.name())
                        .containsEntry(VolumeRenderer.DATA_TAG, "notes");
                // the zone of the subnet its replica runs in: the same index into both exported lists
                int subnet = (replica - 1) % 2 + 1;
                assertThat(p.at("/AvailabilityZone/Fn::ImportValue").asText()).isEqualTo("i2kit-notes-PrivateSubnetZone" + subnet);
                JsonNode group = t.at("/Resources/ScalingGroupR" + replica + "/Properties/VPCZoneIdentifier");
                assertThat(group.size()).isEqualTo(1);
                assertThat(group.at("/0/Fn::ImportValue").asText()).isEqualTo("i2kit-notes-PrivateSubnet" + subnet);
                assertThat(r.environment.at("/Outputs/PrivateSubnetZone" + subnet + "/Export/Name").asText())
                        .isEqualTo("i2kit-notes-PrivateSubnetZone" + subnet);
                assertThat(seen.add(p.path("Tags").toString())).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void eachReplicaIsAGroupOfOneReplacedStopFirstAndNamesItsOwnVolumes(Fixtures.Case c) throws Exception {
        Rendered r = Rendered.of(c);
        Service db = r.service("db");
        JsonNode t = r.services.get("db");
        assertThat(t.at("/Resources/ScalingGroup").isMissingNode()).isTrue();
        assertThat(CloudFormationRendererTest.resources(t, "AWS::AutoScaling::AutoScalingGroup")).hasSize(db.replicas());
        // The provider finds the groups, in replica order, by their logical ids as rendered.
        List<Integer> groupReplicas = new java.util.ArrayList<>();
        t.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::AutoScaling::AutoScalingGroup")) {
                assertThat(LogicalIds.isScalingGroup(e.getKey())).as(e.getKey()).isTrue();
                groupReplicas.add(LogicalIds.scalingGroupReplica(e.getKey()));
            }
        });
        assertThat(groupReplicas).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, db.replicas()).boxed().toList());
        for (int replica = 1; replica <= db.replicas(); replica++) {
            JsonNode group = t.at("/Resources/ScalingGroupR" + replica);
            for (String size : List.of("MinSize", "MaxSize", "DesiredCapacity")) {
                assertThat(group.at("/Properties/" + size).asText()).isEqualTo("1");
            }
            assertThat(group.at("/Properties/LaunchTemplate/LaunchTemplateId/Ref").asText()).isEqualTo("LaunchTemplateR" + replica);
            assertThat(group.at("/UpdatePolicy/AutoScalingRollingUpdate/MinInstancesInService").asInt()).isZero();
            assertThat(group.at("/UpdatePolicy/AutoScalingRollingUpdate/MaxBatchSize").asInt()).isEqualTo(1);
            assertThat(group.at("/UpdatePolicy/AutoScalingReplacingUpdate").isMissingNode()).isTrue();
            assertThat(group.path("DependsOn").asText()).isEqualTo(replica == 1 ? "" : "ScalingGroupR" + (replica - 1));

            JsonNode sub = t.at("/Resources/LaunchTemplateR" + replica + "/Properties/LaunchTemplateData/UserData/Fn::Base64/Fn::Sub");
            String userData = sub.path(0).asText();
            JsonNode variables = sub.path(1);
            JsonNode metadata = Fixtures.JSON.readTree(userData.replace("${", "$"));
            JsonNode entries = metadata.at("/i2kit/entries");
            for (Volume volume : db.volumes()) {
                String id = LogicalIds.volume(volume.name(), replica);
                assertThat(entries.at("/volumes/entries/" + volume.name() + "/content").asText()).isEqualTo("$" + id + "Id}");
                // the volume the stack makes, or the one down kept and i2kit hands back
                assertThat(variables.path(id + "Id").toString()).isEqualTo("{\"Fn::If\":[\"Makes" + id + "\",{\"Ref\":\""
                        + id + "\"},{\"Ref\":\"Kept" + id + "\"}]}");
                assertThat(t.at("/Resources/" + id + "/Condition").asText()).isEqualTo("Makes" + id);
                assertThat(t.at("/Conditions/Makes" + id + "/Fn::Equals/0/Ref").asText()).isEqualTo("Kept" + id);
                assertThat(t.at("/Parameters/Kept" + id + "/Default").asText()).isEmpty();
            }
            assertThat(entries.at("/secrets/content").asText()).isEqualTo("notes-db-password $SecretVersion1}\n");
            assertThat(references(userData)).allSatisfy(ref -> assertThat(t.at("/Resources/" + ref).isMissingNode()
                    && t.at("/Parameters/" + ref).isMissingNode() && !variables.has(ref)).as(ref).isFalse());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theRoleNamesExactlyTheServicesParametersAndVolumes(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        JsonNode web = r.services.get("web").at("/Resources/InstanceRole/Properties/Policies/0/PolicyDocument/Statement");
        assertThat(web).as("web only ships its logs").hasSize(1);
        assertThat(web.get(0).path("Sid").asText()).isEqualTo("ShipOwnLogs");
        for (String name : List.of("db", "worker")) {
            Service service = r.service(name);
            JsonNode t = r.services.get(name);
            JsonNode statements = t.at("/Resources/InstanceRole/Properties/Policies/0/PolicyDocument/Statement");
            Map<String, JsonNode> bySid = new HashMap<>();
            statements.forEach(s -> bySid.put(s.path("Sid").asText(), s));
            statements.forEach(s -> assertThat(s.path("Effect").asText()).isEqualTo("Allow"));

            List<String> parameters = new ArrayList<>();
            bySid.get("ReadOwnSecrets").path("Resource").forEach(res -> parameters.add(res.path("Fn::Sub").asText()));
            assertThat(parameters).containsExactlyElementsOf(service.secretNames().stream()
                    .map(s -> ARN + "ssm:${AWS::Region}:${AWS::AccountId}:parameter/i2kit/notes/" + s).toList());
            assertThat(bySid.get("ReadOwnSecrets").path("Action").toString())
                    .isEqualTo("[\"ssm:GetParameter\",\"ssm:GetParameters\"]");
            assertThat(bySid.get("DecryptThroughSsm").at("/Condition/StringEquals/kms:ViaService/Fn::Sub").asText())
                    .isEqualTo("ssm.${AWS::Region}.amazonaws.com");
            assertThat(t.at("/Parameters").fieldNames()).toIterable().contains("SecretVersion1");
            assertThat(t.at("/Parameters/SecretVersion" + service.secretNames().size()).path("Type").asText()).isEqualTo("Number");

            if (service.isStateful()) {
                List<String> volumes = new ArrayList<>();
                bySid.get("AttachOwnVolumes").path("Resource").forEach(res -> volumes.add(res.at("/Fn::Sub/0").asText()
                        + " " + res.at("/Fn::Sub/1").toString()));
                List<String> own = new ArrayList<>();
                t.path("Resources").fields().forEachRemaining(e -> {
                    if (e.getValue().path("Type").asText().equals("AWS::EC2::Volume")) {
                        String id = e.getKey();
                        own.add(ARN + "ec2:${AWS::Region}:${AWS::AccountId}:volume/${" + id + "Id} {\"" + id + "Id\":{\"Fn::If\":[\"Makes"
                                + id + "\",{\"Ref\":\"" + id + "\"},{\"Ref\":\"Kept" + id + "\"}]}}");
                    }
                });
                assertThat(volumes).containsExactlyInAnyOrderElementsOf(own).hasSize(6);
                JsonNode instances = bySid.get("ToOwnInstances");
                assertThat(instances.at("/Condition/StringEquals/aws:ResourceTag~1i2kit:service").asText()).isEqualTo("db");
                assertThat(instances.at("/Condition/StringEquals/aws:ResourceTag~1i2kit:application").asText()).isEqualTo("notes");
                assertThat(bySid.get("SeeVolumeState").path("Action").toString()).isEqualTo("[\"ec2:DescribeVolumes\"]");
            } else {
                assertThat(bySid).doesNotContainKeys("AttachOwnVolumes", "ToOwnInstances", "SeeVolumeState");
            }
            // No action on anything but these: no wildcard action, no other service.
            statements.forEach(s -> s.path("Action").forEach(a -> assertThat(a.asText())
                    .isIn("ssm:GetParameter", "ssm:GetParameters", "kms:Decrypt", "ec2:AttachVolume", "ec2:DescribeVolumes",
                            "logs:CreateLogStream", "logs:PutLogEvents")));
            t.path("Resources").forEach(res -> {
                if (res.path("Type").asText().equals("AWS::EC2::LaunchTemplate")) {
                    assertThat(res.at("/Properties/LaunchTemplateData/IamInstanceProfile/Name/Ref").asText()).isEqualTo("InstanceProfile");
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void snapshotsAreScheduledForTheDataVolumesWithTheirRetention(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        JsonNode policy = r.environment.at("/Resources/SnapshotPolicy/Properties");
        assertThat(policy.path("State").asText()).isEqualTo("ENABLED");
        assertThat(policy.at("/PolicyDetails/ResourceTypes").toString()).isEqualTo("[\"VOLUME\"]");
        assertThat(policy.at("/PolicyDetails/TargetTags").toString())
                .isEqualTo("[{\"Key\":\"" + VolumeRenderer.DATA_TAG + "\",\"Value\":\"notes\"}]");
        JsonNode schedule = policy.at("/PolicyDetails/Schedules/0");
        assertThat(schedule.at("/RetainRule/Interval").asInt()).isEqualTo(c.target().snapshotRetainDays())
                .isEqualTo(c.target().vpc().isPresent() ? 7 : 14);
        assertThat(schedule.at("/RetainRule/IntervalUnit").asText()).isEqualTo("DAYS");
        assertThat(schedule.at("/CreateRule/Interval").asInt()).isEqualTo(24);
        assertThat(policy.at("/ExecutionRoleArn/Fn::GetAtt/0").asText()).isEqualTo("SnapshotPolicyRole");
        assertThat(r.environment.at("/Resources/SnapshotPolicyRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Service")
                .asText()).isEqualTo("dlm.amazonaws.com");
        // Root volumes are tagged with the application but not as data: the policy leaves them.
        r.services.get("db").path("Resources").forEach(res -> res.at("/Properties/LaunchTemplateData/TagSpecifications")
                .forEach(spec -> assertThat(tags(spec.path("Tags"))).doesNotContainKey(VolumeRenderer.DATA_TAG)));
        for (int subnet = 1; subnet <= 2; subnet++) {
            JsonNode zone = r.environment.at("/Outputs/PrivateSubnetZone" + subnet + "/Value");
            if (c.target().vpc().isPresent()) {
                assertThat(r.environment.at("/Parameters/SubnetZone" + subnet + "/Type").asText())
                        .isEqualTo("AWS::EC2::AvailabilityZone::Name");
                assertThat(zone.path("Ref").asText()).isEqualTo("SubnetZone" + subnet);
                assertThat(r.environment.at("/Outputs/PrivateSubnet" + subnet + "/Value").asText())
                        .isEqualTo(c.target().subnets().get(subnet - 1));
            } else {
                assertThat(zone.toString()).isEqualTo("{\"Fn::GetAtt\":[\"PrivateSubnet" + subnet + "\",\"AvailabilityZone\"]}");
            }
        }
    }

    @Test
    void statelessApplicationsGetNoSnapshotPolicyAndTheirRolesOnlyShipLogs() {
        for (Fixtures.Case c : Fixtures.goldenCases()) {
            if (c.name().startsWith("stateful")) {
                continue;
            }
            Rendered r = Rendered.of(c);
            assertThat(r.environment.at("/Resources/SnapshotPolicy").isMissingNode()).isTrue();
            assertThat(r.environment.has("Parameters")).isFalse();
            r.services.values().forEach(t -> assertThat(t.at("/Resources/InstanceRole/Properties/Policies/0/PolicyDocument/Statement")
                    .findValuesAsText("Sid")).containsExactly("ShipOwnLogs"));
        }
    }

    @Test
    void volumeLogicalIdsKeepDistinctNamesDistinct() {
        assertThat(LogicalIds.volume("data", 1)).isEqualTo("VolumeDataR1");
        assertThat(LogicalIds.volume("wal-log", 12)).isEqualTo("VolumeWalXlogR12");
        Set<String> ids = new HashSet<>();
        for (String name : List.of("a-1", "a1", "ax1", "a-b", "ab", "a-r1", "ar1", "a")) {
            for (int replica : List.of(1, 11)) {
                assertThat(ids.add(LogicalIds.volume(name, replica))).as(name + " r" + replica).isTrue();
                assertThat(LogicalIds.volume(name, replica)).matches("[A-Za-z0-9]+");
            }
        }
    }

    private static List<String> references(String sub) {
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9:]+)}").matcher(sub);
        while (m.find()) {
            refs.add(m.group(1));
        }
        return refs;
    }

    private static Map<String, String> tags(JsonNode list) {
        Map<String, String> tags = new HashMap<>();
        list.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").isTextual() ? t.path("Value").asText() : "<fn>"));
        return tags;
    }
}
