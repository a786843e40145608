package io.i2kit.oci;

import io.i2kit.I2kitException;

/** The source was reached but holds no image (repository, tag or digest) by that reference. */
public final class ImageNotFoundException extends I2kitException {
    public ImageNotFoundException(String message) {
        super(message);
    }
}
