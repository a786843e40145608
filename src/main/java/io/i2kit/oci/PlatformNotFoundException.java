package io.i2kit.oci;

import io.i2kit.I2kitException;

/** An index has no manifest for the platform i2kit builds for. */
public final class PlatformNotFoundException extends I2kitException {
    public PlatformNotFoundException(String message) {
        super(message);
    }
}
