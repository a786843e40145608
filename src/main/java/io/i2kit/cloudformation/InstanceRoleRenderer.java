package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Service;
import java.util.List;

/**
 * The role of a service's VMs: to ship their lines to the service's log group, and, where the
 * service has them, to read its secrets from SSM and to attach its volumes. It names exactly that
 * service's log group ({@code /i2kit/<app>/<service>}: create streams and put events there, and
 * nothing else of CloudWatch Logs), parameters ({@code /i2kit/<app>/<name>}) and volumes, so one
 * service's VM can neither write another's logs, read another's secrets nor take another's disk.
 */
final class InstanceRoleRenderer {
    static final String ROLE = "InstanceRole";
    static final String PROFILE = "InstanceProfile";

    private final Template template;
    private final String application;
    private final Tags tags;

    InstanceRoleRenderer(Template template, String application, Tags tags) {
        this.template = template;
        this.application = application;
        this.tags = tags;
    }

    /** Renders the role and its profile; {@code volumes}: the service's volumes, of every replica. */
    void render(Service service, List<VolumeRenderer.ReplicaVolume> volumes) {
        ObjectNode role = template.resource(ROLE, "AWS::IAM::Role");
        ObjectNode trust = role.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17")
                .putArray("Statement").addObject().put("Effect", "Allow");
        trust.putObject("Principal").put("Service", "ec2.amazonaws.com");
        trust.put("Action", "sts:AssumeRole");
        ArrayNode statements = Fn.array();
        // CreateLogStream authorises on the group, PutLogEvents on the stream; the name holds no ':',
        // so ":log-stream:*" stays inside this group.
        String group = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${" + LogicalIds.LOG_GROUP + "}";
        statements.add(statement("ShipOwnLogs", Fn.array(Fn.text("logs:CreateLogStream"), Fn.text("logs:PutLogEvents")),
                Fn.array(Fn.sub(group), Fn.sub(group + ":log-stream:*"))));
        if (!service.secretNames().isEmpty()) {
            ArrayNode parameters = Fn.array();
            service.secretNames().forEach(name -> parameters.add(Fn.sub(
                    "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter" + parameterName(name))));
            statements.add(statement("ReadOwnSecrets", Fn.array(Fn.text("ssm:GetParameter"), Fn.text("ssm:GetParameters")),
                    parameters));
            // SecureStrings are encrypted with a KMS key; the role may decrypt only through SSM.
            ObjectNode decrypt = statement("DecryptThroughSsm", Fn.array(Fn.text("kms:Decrypt")), Fn.array(Fn.text("*")));
            decrypt.putObject("Condition").putObject("StringEquals")
                    .set("kms:ViaService", Fn.sub("ssm.${AWS::Region}.amazonaws.com"));
            statements.add(decrypt);
        }
        if (service.isStateful()) {
            ArrayNode ownVolumes = Fn.array();
            volumes.forEach(v -> ownVolumes.add(Fn.sub(
                    "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/${" + v.variable() + "}",
                    Fn.object().set(v.variable(), v.volumeId()))));
            statements.add(statement("AttachOwnVolumes", Fn.array(Fn.text("ec2:AttachVolume")), ownVolumes));
            // AttachVolume also authorises on the instance: only this service's instances, by tag.
            ObjectNode instances = statement("ToOwnInstances", Fn.array(Fn.text("ec2:AttachVolume")), Fn.array(Fn.sub(
                    "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*")));
            instances.putObject("Condition").putObject("StringEquals")
                    .put("aws:ResourceTag/" + Tags.APPLICATION, application)
                    .put("aws:ResourceTag/" + Tags.SERVICE, service.name());
            statements.add(instances);
            // DescribeVolumes has no resource-level permissions: "*" is the only form AWS accepts.
            statements.add(statement("SeeVolumeState", Fn.array(Fn.text("ec2:DescribeVolumes")), Fn.array(Fn.text("*"))));
        }
        ObjectNode policy = role.putArray("Policies").addObject().put("PolicyName", "i2kit-" + service.name());
        policy.putObject("PolicyDocument").put("Version", "2012-10-17").set("Statement", statements);
        role.put("Description", "Instances of service " + service.name() + " of i2kit application " + application);
        role.set("Tags", tags.list());
        template.resource(PROFILE, "AWS::IAM::InstanceProfile").putArray("Roles").add(Fn.ref(ROLE));
    }

    /** The SSM parameter of a secret; also {@code SsmSecretStore}'s naming. */
    String parameterName(String secret) {
        return "/i2kit/" + application + "/" + secret;
    }

    private static ObjectNode statement(String sid, JsonNode actions, JsonNode resources) {
        ObjectNode statement = Fn.object().put("Sid", sid).put("Effect", "Allow");
        statement.set("Action", actions);
        statement.set("Resource", resources);
        return statement;
    }
}
