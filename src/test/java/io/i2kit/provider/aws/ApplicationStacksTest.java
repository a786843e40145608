package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/** Which of a service stack's resources are its scaling groups, and in which order status and health read them. */
class ApplicationStacksTest {
    @Test
    void theGroupsOfAStatefulServiceComeInReplicaOrderAndOnlyOnceTheyExist() {
        List<StackResource> resources = List.of(resource("ScalingGroupR10", "g10"), resource("TargetGroupHttp", "tg"),
                resource("ScalingGroupR2", "g2"), resource("LaunchTemplateR1", "lt1"), resource("ScalingGroupR1", "g1"),
                resource("ScalingGroupR11", null));
        assertThat(ApplicationStacks.scalingGroups(resources)).extracting(StackResource::physicalResourceId)
                .containsExactly("g1", "g2", "g10");
    }

    @Test
    void aStatelessServiceHasItsOneGroup() {
        assertThat(ApplicationStacks.scalingGroups(List.of(resource("LaunchTemplate", "lt"), resource("ScalingGroup", "g"))))
                .extracting(StackResource::physicalResourceId).containsExactly("g");
    }

    private static StackResource resource(String logicalId, String physicalId) {
        return StackResource.builder().logicalResourceId(logicalId).physicalResourceId(physicalId).build();
    }
}
