package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateReaderTest {
    private static final String SERVICE = """
            {"Parameters": {"ImageId": {"Type": "AWS::EC2::Image::Id"}},
             "Resources": {
               "Group": {"Type": "AWS::EC2::SecurityGroup",
                         "Properties": {"VpcId": {"Fn::ImportValue": "i2kit-app-VpcId"}}},
               "ScalingGroup": {"Type": "AWS::AutoScaling::AutoScalingGroup",
                         "Properties": {"VPCZoneIdentifier": {"Fn::Split": [",", {"Fn::ImportValue": "i2kit-app-PrivateSubnets"}]},
                                        "Other": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-x"}}}}}}
            """;

    @Test
    void literalImportsAreFoundAnywhereInTheTree() {
        assertThat(TemplateReader.imports(SERVICE)).containsExactly("i2kit-app-VpcId", "i2kit-app-PrivateSubnets");
    }

    @Test
    void everyResourceIsAnAddInTemplateOrder() {
        assertThat(TemplateReader.resourcesAsAdds(SERVICE)).containsExactly(
                ResourceChange.add("Group", "AWS::EC2::SecurityGroup"),
                ResourceChange.add("ScalingGroup", "AWS::AutoScaling::AutoScalingGroup"));
    }

    @Test
    void templatesCompareAsTreesNotText() {
        assertThat(TemplateReader.sameTemplate("{\"a\": [1, 2], \"b\": {}}", "{\"b\":{},\n \"a\":[1,2]}")).isTrue();
        assertThat(TemplateReader.sameTemplate("{\"a\": [1, 2]}", "{\"a\": [2, 1]}")).isFalse();
        assertThat(TemplateReader.sameTemplate("a: 1", "a: 1")).isTrue();
        assertThat(TemplateReader.sameTemplate("a: 1", "{\"a\": 1}")).isFalse();
    }

    @Test
    void aTemplateThatIsNotJsonHasNoImportsOrResourcesToRead() {
        assertThat(TemplateReader.imports("Resources: {}")).isEmpty();
        assertThat(TemplateReader.resourcesAsAdds("Resources: {}")).isEmpty();
    }
}
