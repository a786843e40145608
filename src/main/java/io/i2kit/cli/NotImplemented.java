package io.i2kit.cli;

import io.i2kit.I2kitException;

/** Commands whose stage is not built yet say so plainly and fail, rather than pretend. */
abstract class NotImplemented implements Runnable {
    @picocli.CommandLine.Mixin
    ApplicationOptions app;

    abstract String what();

    @Override
    public void run() {
        throw new I2kitException("i2kit " + what() + " is not implemented yet; "
                + "i2kit validate, render and lock work today");
    }
}
