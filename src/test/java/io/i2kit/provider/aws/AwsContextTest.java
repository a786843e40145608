package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class AwsContextTest {
    @Test
    void theOptionWinsOverTheStandardVariableAndTheFileRegionOverTheChain() {
        AwsContext context = AwsContext.resolve(Optional.of("eu-west-1"), Optional.of("http://127.0.0.1:5000"),
                Map.of("AWS_ENDPOINT_URL", "http://elsewhere:1", "AWS_REGION", "us-east-1"));
        assertThat(context.region().id()).isEqualTo("eu-west-1");
        assertThat(context.endpoint()).contains(URI.create("http://127.0.0.1:5000"));
        assertThat(context.endpointFor("ebs")).isEqualTo(URI.create("http://127.0.0.1:5000"));
    }

    @Test
    void withoutAnOverrideEbsIsTheRegionalEndpoint() {
        AwsContext context = AwsContext.resolve(Optional.of("ap-southeast-2"), Optional.empty(), Map.of());
        assertThat(context.endpoint()).isEmpty();
        assertThat(context.endpointFor("ebs")).isEqualTo(URI.create("https://ebs.ap-southeast-2.amazonaws.com"));
    }

    @Test
    void theStandardVariableIsReadAndABlankOneIgnored() {
        assertThat(AwsContext.resolve(Optional.of("eu-west-1"), Optional.empty(),
                Map.of("AWS_ENDPOINT_URL", "https://emulator:4566")).endpoint())
                .contains(URI.create("https://emulator:4566"));
        assertThat(AwsContext.resolve(Optional.of("eu-west-1"), Optional.empty(), Map.of("AWS_ENDPOINT_URL", " "))
                .endpoint()).isEmpty();
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefusedClearly() {
        assertThatThrownBy(() -> AwsContext.resolve(Optional.of("eu-west-1"), Optional.of("localhost:5000"), Map.of()))
                .isInstanceOf(I2kitException.class)
                .hasMessage("AWS endpoint URL \"localhost:5000\" is not an http(s) URL: not an http(s) URL");
    }

    @Test
    void missingCredentialsAreFoundBeforeAnyCallAndNameWhereTheyComeFrom() {
        AwsContext none = new AwsContext(Region.EU_WEST_1, Optional.empty(), () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        });
        assertThatThrownBy(none::requireCredentials).isInstanceOf(I2kitException.class)
                .hasMessage("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                        + "with a profile in ~/.aws/config (for SSO, run aws sso login first)");
    }
}
