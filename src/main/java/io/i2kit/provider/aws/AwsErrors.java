package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates what the SDK throws at the provider's boundary into messages a user can act on: an
 * endpoint that does not answer, a request AWS refused. Never includes a secret. (Missing
 * credentials are found before any call: {@link AwsContext#requireCredentials()}.)
 */
final class AwsErrors {
    private AwsErrors() {
    }

    static <T> T translate(AwsContext context, Supplier<T> work) {
        try {
            return work.get();
        } catch (I2kitException e) {
            throw e;
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new I2kitException("AWS refused a request (" + code + ", HTTP " + e.statusCode() + "): " + message, e);
        } catch (SdkClientException e) {
            throw new I2kitException(clientMessage(context, e), e);
        } catch (SdkException e) {
            throw new I2kitException("an AWS call failed: " + e.getMessage(), e);
        }
    }

    private static String clientMessage(AwsContext context, SdkClientException e) {
        String where = context.endpoint().map(Object::toString).orElse("AWS in " + context.region().id());
        return "cannot reach " + where + ": " + e.getMessage();
    }
}
