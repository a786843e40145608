package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;

class StackComparerTest {
    private static final String TEMPLATE = "{\"Resources\": {}}";
    private static final Stack DEPLOYED = Stack.builder().stackName("s")
            .parameters(Parameter.builder().parameterKey("ImageId").parameterValue("ami-1").build(),
                    Parameter.builder().parameterKey("ImageDigest").parameterValue("sha256:1").build())
            .tags(Tag.builder().key("i2kit:app").value("app").build())
            .build();

    @Test
    void theSameTemplateParametersAndTagsMatch() {
        StackRequest request = StackRequest.of("s", "{ \"Resources\" : { } }",
                Map.of("ImageDigest", "sha256:1", "ImageId", "ami-1")).withTags(Map.of("i2kit:app", "app"));
        assertThat(StackComparer.matches(DEPLOYED, TEMPLATE, request)).isTrue();
    }

    @Test
    void aParameterValueDiffers() {
        StackRequest request = StackRequest.of("s", TEMPLATE, Map.of("ImageId", "ami-2", "ImageDigest", "sha256:1"));
        assertThat(StackComparer.matches(DEPLOYED, TEMPLATE, request)).isFalse();
        assertThat(StackComparer.changedParameters(StackReader.parameters(DEPLOYED), request.parameters()))
                .containsExactly("ImageId");
    }

    @Test
    void tagsCountOnlyWhenRequested() {
        StackRequest untagged = StackRequest.of("s", TEMPLATE, Map.of("ImageId", "ami-1", "ImageDigest", "sha256:1"));
        assertThat(StackComparer.matches(DEPLOYED, TEMPLATE, untagged)).isTrue();
        assertThat(StackComparer.matches(DEPLOYED, TEMPLATE, untagged.withTags(Map.of("i2kit:app", "other")))).isFalse();
    }

    @Test
    void anotherTemplateDiffers() {
        StackRequest request = StackRequest.of("s", "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}",
                Map.of("ImageId", "ami-1", "ImageDigest", "sha256:1"));
        assertThat(StackComparer.matches(DEPLOYED, TEMPLATE, request)).isFalse();
    }
}
