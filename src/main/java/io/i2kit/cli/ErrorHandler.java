package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.ProblemReportException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place errors become output and exit codes: {@code file:line:column: error: message} when
 * the error has a position, {@code error: message} otherwise; invalid input 2, a failed operation 1.
 * Stack traces and class names only with {@code --debug}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
    static final int FAILED = 1;
    static final int INVALID = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        var err = cli.getErr();
        err.println(e instanceof I2kitException known ? describe(known)
                : "internal error: " + e + (I2kitCommand.debug ? "" : " (run again with --debug for details)"));
        if (I2kitCommand.debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof InvalidInputException ? INVALID : FAILED;
    }

    /** What a user sees of an error, without the stack trace; public so that fixture tests pin exactly this. */
    public static String describe(I2kitException e) {
        if (e instanceof ProblemReportException) {
            return e.getMessage();
        }
        return e.position().map(p -> p.where() + ": ").orElse("") + "error: " + e.getMessage();
    }
}
