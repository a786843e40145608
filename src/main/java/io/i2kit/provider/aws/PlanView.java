package io.i2kit.provider.aws;

import io.i2kit.cloudformation.LogicalIds;
import io.i2kit.provider.aws.stack.ResourceChange;
import io.i2kit.provider.aws.stack.StackPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A stack plan as {@code i2kit plan} shows it: words for the operation and for each change. */
final class PlanView {
    private PlanView() {
    }

    /** The note a stateful service's update gets: its replicas are replaced one by one, each stopped first. */
    static final String DOWNTIME = "replaced stop-first, downtime while each replica restarts";

    /** {@code stateful}: the stack's service keeps volumes, so an update that replaces its instances has downtime. */
    static AwsPlan.StackPlan of(StackPlan plan, boolean stateful) {
        String action = switch (plan.operation()) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case RECREATE -> "recreate";
            case NONE -> "unchanged";
        };
        List<String> notes = new ArrayList<>();
        plan.after().ifPresent(after -> notes.add("after " + after));
        if (!plan.changedParameters().isEmpty()) {
            notes.add("parameters " + String.join(", ", plan.changedParameters()));
        }
        if (plan.operation() == StackPlan.Operation.RECREATE) {
            notes.add("left by a failed creation: deleted, then created again");
        }
        if (stateful && plan.operation() == StackPlan.Operation.UPDATE && replacesInstances(plan)) {
            notes.add(DOWNTIME);
        }
        List<AwsPlan.Change> changes = plan.changes().stream().map(PlanView::change).toList();
        return new AwsPlan.StackPlan(plan.stackName(), action, String.join("; ", notes), changes);
    }

    /** A new image or secret version, or any change to a replica's launch template or group. */
    static boolean replacesInstances(StackPlan plan) {
        return plan.changedParameters().stream().anyMatch(p -> p.equals("ImageId") || p.startsWith("SecretVersion"))
                || plan.changes().stream().anyMatch(c -> c.logicalId().startsWith(LogicalIds.LAUNCH_TEMPLATE)
                        || LogicalIds.isScalingGroup(c.logicalId()));
    }

    private static AwsPlan.Change change(ResourceChange c) {
        String action = c.action().name().charAt(0) + c.action().name().substring(1).toLowerCase(Locale.ROOT);
        String replacement = c.replacement().map(r -> switch (r) {
            case TRUE -> "True";
            case FALSE -> "False";
            case CONDITIONAL -> "Conditional";
        }).orElse("");
        return new AwsPlan.Change(action, c.logicalId(), c.resourceType(), replacement);
    }
}
