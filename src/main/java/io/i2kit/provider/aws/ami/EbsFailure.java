package io.i2kit.provider.aws.ami;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns what EBS answered into a message a user can act on: what was attempted, the HTTP status,
 * AWS's error code and message (from the {@code x-amzn-ErrorType} header or the JSON body), a
 * hint, and whether AWS's guidance is to retry (5xx, 429, throttling, I/O).
 */
final class EbsFailure {
    private static final Set<String> RETRYABLE_CODES = Set.of("ThrottlingException", "RequestThrottledException",
            "ConcurrentLimitExceededException", "InternalServerException", "ServiceUnavailableException",
            "RequestTimeoutException");
    private static final Set<String> ACCESS_CODES = Set.of("AccessDeniedException", "UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignatureException");

    private EbsFailure() {
    }

    static EbsCallException of(String what, URI endpoint, EbsDirectClient.Answer answer, boolean notFoundIsTransient) {
        JsonNode json = answer.json();
        String code = code(answer.errorType(), json);
        int status = answer.status();
        boolean retryable = status >= 500 || status == 429 || RETRYABLE_CODES.contains(code)
                || (notFoundIsTransient && code.equals("ResourceNotFoundException"));
        String detail = detail(code, json, answer.body());
        String failure = "cannot " + what + ": EBS at " + endpoint + " answered HTTP " + status
                + (detail.isEmpty() ? "" : " (" + detail + ")");
        return new EbsCallException(failure, hint(status, code, retryable), status, code, retryable, null);
    }

    static EbsCallException transport(String what, URI endpoint, String why, IOException cause) {
        return new EbsCallException("cannot " + what + ": EBS at " + endpoint + " could not be reached: " + why,
                "check the network, the region and any --endpoint-url", 0, "", true, cause);
    }

    /** {@code ValidationException:http://internal…} in the header, else {@code __type} or {@code code}. */
    private static String code(String errorType, JsonNode json) {
        String code = errorType;
        if (code.isEmpty()) {
            code = first(json, "__type", "code", "Code");
        }
        int colon = code.indexOf(':');
        code = colon >= 0 ? code.substring(0, colon) : code;
        int hash = code.lastIndexOf('#');
        return hash >= 0 ? code.substring(hash + 1) : code;
    }

    private static String detail(String code, JsonNode json, byte[] body) {
        String message = first(json, "message", "Message");
        String reason = first(json, "Reason", "reason");
        if (message.isEmpty() && json.isEmpty() && body.length > 0) {
            // Not JSON (a proxy's or an emulator's page): a short, single-line excerpt.
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            message = text.replaceAll("\\s+", " ").strip();
        }
        StringBuilder detail = new StringBuilder(code);
        if (!message.isEmpty()) {
            detail.append(detail.length() > 0 ? ": " : "").append(message);
        }
        if (!reason.isEmpty()) {
            detail.append(detail.length() > 0 ? ", " : "").append("reason ").append(reason);
        }
        return detail.toString();
    }

    private static String hint(int status, String code, boolean retryable) {
        if (status == 401 || status == 403 || ACCESS_CODES.contains(code)) {
            return "check the AWS credentials and that they allow ebs:StartSnapshot, ebs:PutSnapshotBlock and "
                    + "ebs:CompleteSnapshot";
        }
        if (code.equals("ServiceQuotaExceededException")) {
            return "an EBS direct API quota is reached (for example snapshots in progress); wait for other "
                    + "uploads or raise the quota in Service Quotas";
        }
        if (code.equals("ResourceNotFoundException")) {
            return "the snapshot is gone: deleted, or failed after StartSnapshot's timeout; publish again";
        }
        if (retryable) {
            return "AWS is throttling or failing for now; try again later, or upload with less concurrency";
        }
        return "EBS refused the request itself, so retrying will not help; this is likely an i2kit bug, "
                + "please report it with this message";
    }

    private static String first(JsonNode json, String... names) {
        for (String name : names) {
            String value = json.path(name).asText("");
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }
}
