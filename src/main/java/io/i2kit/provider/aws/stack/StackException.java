package io.i2kit.provider.aws.stack;

import io.i2kit.I2kitException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * A stack operation could not be carried out: CloudFormation refused a call, the stack is in a
 * state i2kit will not touch, or a wait timed out. The message names the stack.
 */
public class StackException extends I2kitException {
    private final String stackName;

    public StackException(String stackName, String message) {
        super(message);
        this.stackName = stackName;
    }

    public StackException(String stackName, String message, Throwable cause) {
        super(message, cause);
        this.stackName = stackName;
    }

    public String stackName() {
        return stackName;
    }

    /** Translates an SDK error: "{attempted} {stackName} failed: {AWS message} ({code}). {hint}". */
    static StackException of(String attempted, String stackName, SdkException e) {
        String why = awsMessage(e);
        String hint = e instanceof AwsServiceException s && s.statusCode() == 403
                ? " Check that the AWS credentials in use may call CloudFormation in this account and region."
                : e instanceof AwsServiceException ? "" : " Check the network and the AWS endpoint, then run again.";
        return new StackException(stackName, attempted + " " + stackName + " failed: " + why + "." + hint, e);
    }

    /** The service's own message and error code, without the SDK's request ids. */
    static String awsMessage(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String message = s.awsErrorDetails().errorMessage();
            String code = s.awsErrorDetails().errorCode();
            return (message == null ? "no message" : message) + (code == null ? "" : " (" + code + ")");
        }
        return e.getMessage();
    }
}
