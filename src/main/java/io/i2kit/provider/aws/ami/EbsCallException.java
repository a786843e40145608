package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;

/**
 * One EBS direct call that failed: its HTTP status (0 when no answer came), AWS's error code when
 * it gave one, and whether AWS asks callers to try again (5xx, 429, throttling, I/O errors).
 */
final class EbsCallException extends I2kitException {
    private final String failure;
    private final String hint;
    private final int status;
    private final String code;
    private final boolean retryable;

    /** @param failure what was attempted, on what, and why it failed; {@code hint} what to do about it */
    EbsCallException(String failure, String hint, int status, String code, boolean retryable, Throwable cause) {
        super(failure + (hint.isEmpty() ? "" : "; hint: " + hint), cause);
        this.failure = failure;
        this.hint = hint;
        this.status = status;
        this.code = code;
        this.retryable = retryable;
    }

    /** The same failure, saying how many attempts were made before giving up. */
    EbsCallException afterAttempts(int attempts) {
        return new EbsCallException(failure + " (gave up after " + attempts + " attempts)", hint, status, code,
                retryable, this);
    }

    int status() {
        return status;
    }

    /** AWS's error code, such as {@code ValidationException}; empty when the answer had none. */
    String code() {
        return code;
    }

    boolean retryable() {
        return retryable;
    }
}
