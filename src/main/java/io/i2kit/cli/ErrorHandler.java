package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place errors become output and exit codes: invalid input 2, a failed operation 1. Stack
 * traces and class names only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    static final int FAILED = 1;
    static final int INVALID = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        var err = cli.getErr();
        if (e instanceof InvalidInputException) {
            err.println(e.getMessage());
        } else if (e instanceof I2kitException) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("internal error: " + e + (I2kitCommand.debug ? "" : " (run again with --debug for details)"));
        }
        if (I2kitCommand.debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof InvalidInputException ? INVALID : FAILED;
    }
}
