package io.i2kit.provider.local.lb;

/** One health probe's verdict and what was seen, in words for the user ("HTTP 503", "closed at once"). */
public record ProbeResult(boolean passed, String detail) {
    static ProbeResult pass(String detail) {
        return new ProbeResult(true, detail);
    }

    static ProbeResult fail(String detail) {
        return new ProbeResult(false, detail);
    }
}
