package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

class StackExceptionTest {
    @Test
    void theServiceMessageAndCodeReplaceTheSdkText() {
        assertThat(StackException.of("deleting stack", "s", FakeCloudFormation.error("ValidationError", "it is busy")))
                .hasMessage("deleting stack s failed: it is busy (ValidationError).");
    }

    @Test
    void anErrorBodyTheSdkCouldNotParseIsReadForItsCodeAndMessage() {
        CloudFormationException e = (CloudFormationException) CloudFormationException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().rawResponse(SdkBytes.fromUtf8String(
                        "<Response><Errors><Error><Code>DependencyViolation</Code><Message>The vpc &apos;v&apos; has "
                        + "dependencies</Message></Error></Errors></Response>")).build())
                .build();

        assertThat(StackException.awsMessage(e)).isEqualTo("The vpc 'v' has dependencies (DependencyViolation)");
    }

    @Test
    void anErrorWithoutBodySaysSo() {
        CloudFormationException e = (CloudFormationException) CloudFormationException.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().build()).build();

        assertThat(StackException.awsMessage(e)).isEqualTo("HTTP 503 without a message");
    }
}
