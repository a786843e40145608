package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EbsFailureTest {
    private static final URI EBS = URI.create("https://ebs.eu-west-1.amazonaws.com");

    private static EbsCallException failure(int status, String errorType, String body, boolean notFoundIsTransient) {
        return EbsFailure.of("upload block 3 to snapshot snap-1", EBS,
                new EbsDirectClient.Answer(status, errorType, body.getBytes(StandardCharsets.UTF_8)), notFoundIsTransient);
    }

    @Test
    void theCodeComesFromTheErrorTypeHeaderOrTheBody() {
        assertThat(failure(400, "ValidationException:http://internal.amazon.com/coral/", "{}", false).code())
                .isEqualTo("ValidationException");
        assertThat(failure(400, "", "{\"__type\":\"com.amazonaws.ebs#ConflictException\"}", false).code())
                .isEqualTo("ConflictException");
        assertThat(failure(400, "", "{\"code\":\"ValidationException\"}", false).code()).isEqualTo("ValidationException");
    }

    @Test
    void throttlingServerErrorsAndTransientNotFoundAreRetried() {
        assertThat(failure(400, "RequestThrottledException", "{}", false).retryable()).isTrue();
        assertThat(failure(400, "ConcurrentLimitExceededException", "{}", false).retryable()).isTrue();
        assertThat(failure(429, "", "", false).retryable()).isTrue();
        assertThat(failure(500, "", "", false).retryable()).isTrue();
        assertThat(failure(404, "ResourceNotFoundException", "{}", true).retryable()).isTrue();
        assertThat(failure(404, "ResourceNotFoundException", "{}", false).retryable()).isFalse();
        assertThat(failure(400, "ValidationException", "{}", false).retryable()).isFalse();
        assertThat(failure(403, "AccessDeniedException", "{}", false).retryable()).isFalse();
    }

    @Test
    void theMessageSaysWhatWhereWhyAndAHint() {
        assertThat(failure(400, "ValidationException", "{\"message\":\"bad length\",\"Reason\":\"INVALID_DATA_LENGTH\"}",
                false)).hasMessage("cannot upload block 3 to snapshot snap-1: EBS at https://ebs.eu-west-1.amazonaws.com "
                + "answered HTTP 400 (ValidationException: bad length, reason INVALID_DATA_LENGTH); hint: EBS refused "
                + "the request itself, so retrying will not help; this is likely an i2kit bug, please report it with "
                + "this message");
        assertThat(failure(502, "", "<html>\n <body>Bad   Gateway</body></html>", false))
                .hasMessageContaining("answered HTTP 502 (<html> <body>Bad Gateway</body></html>); hint: AWS is throttling");
        assertThat(failure(404, "ResourceNotFoundException", "{\"Message\":\"no snapshot\"}", true))
                .hasMessageContaining("(ResourceNotFoundException: no snapshot); hint: the snapshot is gone");
        assertThat(failure(400, "ServiceQuotaExceededException", "{}", false))
                .hasMessageEndingWith("raise the quota in Service Quotas");
    }
}
