package io.i2kit.oci.registry;

import io.i2kit.I2kitException;

/** The registry or its token service refused access. Messages name the user at most, never a secret. */
public final class RegistryUnauthorizedException extends I2kitException {
    public RegistryUnauthorizedException(String message) {
        super(message);
    }
}
