package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

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

    @Test
    void aParameterWithoutAValueReadsAsEmpty() {
        Stack stack = Stack.builder().parameters(parameter("ImageId", "ami-1"), parameter("KeptVolumeDataR1", null)).build();
        ApplicationStacks.Found found = new ApplicationStacks.Found("i2kit-notes-db", Optional.of("db"),
                StackStatus.CREATE_COMPLETE, stack);
        assertThat(found.parameters()).containsExactly(Map.entry("ImageId", "ami-1"),
                Map.entry("KeptVolumeDataR1", ""));
    }

    private static Parameter parameter(String key, String value) {
        return Parameter.builder().parameterKey(key)
                .parameterValue(value).build();
    }

    private static StackResource resource(String logicalId, String physicalId) {
        return StackResource.builder().logicalResourceId(logicalId).physicalResourceId(physicalId).build();
    }
}
