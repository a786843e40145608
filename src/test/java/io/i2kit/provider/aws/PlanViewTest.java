package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.aws.stack.ResourceChange;
import io.i2kit.provider.aws.stack.StackPlan;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What plan says of an update of a stateful service: its replicas are replaced stop-first, with downtime. */
class PlanViewTest {
    @Test
    void aNewImageOrSecretVersionOfAStatefulServiceHasDowntime() {
        StackPlan image = plan(List.of(), List.of("ImageId"));
        StackPlan secret = plan(List.of(), List.of("SecretVersion1"));
        StackPlan launchTemplate = plan(List.of(change("LaunchTemplateR2")), List.of());
        for (StackPlan p : List.of(image, secret, launchTemplate)) {
            assertThat(PlanView.of(p, true).note()).contains(PlanView.DOWNTIME);
            assertThat(PlanView.of(p, false).note()).doesNotContain("downtime");
        }
    }

    @Test
    void aChangeThatLeavesTheInstancesHasNoDowntime() {
        StackPlan dns = plan(List.of(change("PrivateRecord")), List.of());
        assertThat(PlanView.of(dns, true).note()).doesNotContain("downtime");
    }

    private static StackPlan plan(List<ResourceChange> changes, List<String> parameters) {
        return new StackPlan("i2kit-notes-db", StackPlan.Operation.UPDATE, changes, parameters, Optional.empty());
    }

    private static ResourceChange change(String logicalId) {
        return new ResourceChange(ResourceChange.Action.MODIFY, logicalId, "AWS::Some::Type", Optional.empty());
    }
}
