package io.i2kit.provider.aws.stack;

import io.i2kit.I2kitException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

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
            AwsErrorDetails details = s.awsErrorDetails();
            String message = details.errorMessage();
            String code = details.errorCode();
            if (message == null && details.rawResponse() != null) {
                // An error body in another service's shape (EC2's, passed through) escapes the SDK's parser.
                String raw = details.rawResponse().asUtf8String();
                message = element(raw, "Message");
                code = code == null ? element(raw, "Code") : code;
            }
            return (message == null ? "HTTP " + s.statusCode() + " without a message" : message)
                    + (code == null ? "" : " (" + code + ")");
        }
        return e.getMessage();
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1).strip().replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&") : null;
    }
}
