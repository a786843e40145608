package io.i2kit.oci.store;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;

/** Content did not hash to the digest it was announced with: tampered or truncated, never stored. */
public final class BlobMismatchException extends I2kitException {
    public BlobMismatchException(String what, Digest expected, Digest actual) {
        super(what + ": content does not match its digest (expected " + expected + ", got " + actual
                + "); nothing was stored");
    }
}
