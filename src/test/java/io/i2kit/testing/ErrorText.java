package io.i2kit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.i2kit.I2kitException;
import io.i2kit.cli.ErrorHandler;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * What the CLI prints for the error a call throws, position and all: tests pin the text a user sees
 * through the one formatter ({@link ErrorHandler#describe}) rather than a copy of it.
 */
public final class ErrorText {
    private ErrorText() {
    }

    public static String of(ThrowingCallable call) {
        return of(catchThrowable(call));
    }

    public static String of(Throwable thrown) {
        assertThat(thrown).as("an error i2kit reports to a user").isInstanceOf(I2kitException.class);
        return ErrorHandler.describe((I2kitException) thrown);
    }
}
