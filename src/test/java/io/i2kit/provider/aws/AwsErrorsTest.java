package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

class AwsErrorsTest {
    private static final AwsContext CONTEXT = new AwsContext(Region.EU_WEST_1, Optional.of(URI.create("http://127.0.0.1:1")),
            AnonymousCredentialsProvider.create());

    @Test
    void aRefusedRequestSaysWhatAwsSaid() {
        assertThatThrownBy(() -> AwsErrors.translate(CONTEXT, () -> {
            throw CloudFormationException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ValidationError").errorMessage("Stack with id x does not exist").build()).build();
        })).isInstanceOf(I2kitException.class)
                .hasMessage("AWS refused a request (ValidationError, HTTP 400): Stack with id x does not exist");
    }

    @Test
    void anUnreachableEndpointIsNamed() {
        assertThatThrownBy(() -> AwsErrors.translate(CONTEXT, () -> {
            throw SdkClientException.create("Connection refused");
        })).hasMessage("cannot reach http://127.0.0.1:1: Connection refused");
    }

    @Test
    void i2kitsOwnErrorsPassUnchanged() {
        I2kitException own = new I2kitException("creating stack x failed");
        assertThatThrownBy(() -> AwsErrors.translate(CONTEXT, () -> {
            throw own;
        })).isSameAs(own);
    }
}
