package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Calls EC2 through the SDK (which retries throttling itself) and turns its failures into
 * messages that say what was attempted, EC2's error code and message, and a hint.
 */
final class Ec2Caller {
    private Ec2Caller() {
    }

    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    static I2kitException failure(String what, SdkException failure) {
        if (!(failure instanceof AwsServiceException e)) {
            return new I2kitException("cannot " + what + ": " + failure.getMessage() + "; hint: check the network, "
                    + "the region, any --endpoint-url and the AWS credentials", failure);
        }
        String code = code(e);
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return new I2kitException("cannot " + what + ": EC2 answered HTTP " + e.statusCode() + " (" + code
                + (message == null || message.isEmpty() ? "" : ": " + message) + "); hint: " + hint(code), e);
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    private static String hint(String code) {
        if (code.contains("Unauthorized") || code.equals("AuthFailure") || code.contains("AccessDenied")) {
            return "check the AWS credentials and that they allow ec2:DescribeImages, ec2:RegisterImage, "
                    + "ec2:DeregisterImage, ec2:DescribeSnapshots, ec2:DeleteSnapshot and ec2:CreateTags";
        }
        if (code.equals("InvalidAMIName.Duplicate")) {
            return "an AMI of that name exists without i2kit's tags for this image; deregister it and publish again";
        }
        return "see EC2's message; run with --debug for the full error";
    }
}
