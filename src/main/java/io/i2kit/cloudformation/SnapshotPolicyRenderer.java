package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Target;

/**
 * Daily snapshots of an application's data volumes through Data Lifecycle Manager, kept for the
 * environment file's {@code snapshots.retain_days} (7 by default), and the role DLM acts with.
 * The policy targets the data tag only: root volumes carry the application tag too, and hold
 * nothing worth keeping.
 */
final class SnapshotPolicyRenderer {
    static final String POLICY = "SnapshotPolicy";
    static final String ROLE = "SnapshotPolicyRole";

    private final Template template;
    private final String application;
    private final Tags tags;

    SnapshotPolicyRenderer(Template template, String application, Tags tags) {
        this.template = template;
        this.application = application;
        this.tags = tags;
    }

    void render(Target target) {
        ObjectNode role = template.resource(ROLE, "AWS::IAM::Role");
        ObjectNode statement = role.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17")
                .putArray("Statement").addObject().put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "dlm.amazonaws.com");
        statement.put("Action", "sts:AssumeRole");
        role.putArray("ManagedPolicyArns").add(Fn.sub(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"));
        role.put("Description", "Data Lifecycle Manager for the volumes of i2kit application " + application);
        role.set("Tags", tags.list());

        ObjectNode policy = template.resource(POLICY, "AWS::DLM::LifecyclePolicy")
                .put("Description", "Daily snapshots of i2kit application " + application + "'s volumes")
                .put("State", "ENABLED")
                .set("ExecutionRoleArn", Fn.getAtt(ROLE, "Arn"));
        ObjectNode details = policy.putObject("PolicyDetails")
                .put("PolicyType", "EBS_SNAPSHOT_MANAGEMENT");
        details.putArray("ResourceTypes").add("VOLUME");
        details.putArray("TargetTags").addObject().put("Key", VolumeRenderer.DATA_TAG).put("Value", application);
        ObjectNode schedule = details.putArray("Schedules").addObject()
                .put("Name", "Daily snapshots kept " + target.snapshotRetainDays() + " days")
                .put("CopyTags", true);
        schedule.putObject("CreateRule").put("Interval", 24).put("IntervalUnit", "HOURS")
                .putArray("Times").add("03:00");
        schedule.putObject("RetainRule").put("Interval", target.snapshotRetainDays()).put("IntervalUnit", "DAYS");
        policy.set("Tags", tags.list());
    }
}
