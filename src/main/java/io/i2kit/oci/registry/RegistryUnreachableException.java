package io.i2kit.oci.registry;

import io.i2kit.I2kitException;

/** No HTTP conversation with the registry was possible: refused, unknown host, TLS failure, timeout. */
public final class RegistryUnreachableException extends I2kitException {
    public RegistryUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
