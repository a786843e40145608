package io.i2kit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.ProblemReportException;
import io.i2kit.yaml.Position;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one place errors are formatted: positions, the "error:" label, exit codes, stack traces. */
class ErrorHandlerTest {
    private final StringWriter err = new StringWriter();

    @AfterEach
    void resetDebug() {
        I2kitCommand.debug = false;
    }

    private int handle(Exception e) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return new ErrorHandler().handleExecutionException(e, cli, null);
    }

    @Test
    void anErrorInAFileIsShownCompilerStyle() {
        assertThat(ErrorHandler.describe(new InvalidInputException(new Position("i2kit.yml", 12, 9), "replicas: too many")))
                .isEqualTo("i2kit.yml:12:9: error: replicas: too many");
        assertThat(ErrorHandler.describe(new InvalidInputException(new Position("sources.list", 2, 0), "no suite")))
                .isEqualTo("sources.list:2: error: no suite");
        assertThat(ErrorHandler.describe(new InvalidInputException(Position.unknown("i2kit.lock"), "not JSON")))
                .isEqualTo("i2kit.lock: error: not JSON");
    }

    @Test
    void anErrorWithoutAPositionIsLabelledOnly() {
        assertThat(ErrorHandler.describe(new I2kitException("cannot reach http://127.0.0.1:1")))
                .isEqualTo("error: cannot reach http://127.0.0.1:1");
        assertThat(ErrorHandler.describe(new InvalidInputException("--older-than 3x: expected an age such as 30m")))
                .isEqualTo("error: --older-than 3x: expected an age such as 30m");
    }

    @Test
    void aReportOfEveryProblemIsPrintedAsItIs() {
        String report = "i2kit.yml:1:1: error: a\ni2kit.yml:2:1: warning: b\n1 error in i2kit.yml";

        assertThat(ErrorHandler.describe(new ProblemReportException(report))).isEqualTo(report);
    }

    @Test
    void invalidInputExitsWith2AndAFailedOperationWith1WithoutAStackTrace() {
        assertThat(handle(new InvalidInputException(new Position("f.yml", 1, 2), "bad"))).isEqualTo(ErrorHandler.INVALID);
        assertThat(handle(new I2kitException("failed", new IllegalStateException("cause")))).isEqualTo(ErrorHandler.FAILED);

        assertThat(err.toString()).isEqualTo("f.yml:1:2: error: bad\nerror: failed\n");
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorThatPointsAtDebug() {
        assertThat(handle(new IllegalStateException("boom"))).isEqualTo(ErrorHandler.FAILED);

        assertThat(err.toString()).isEqualTo(
                "internal error: java.lang.IllegalStateException: boom (run again with --debug for details)\n");
    }

    @Test
    void debugAddsTheStackTrace() {
        I2kitCommand.debug = true;

        handle(new I2kitException("failed"));

        assertThat(err.toString()).startsWith("error: failed\nio.i2kit.I2kitException: failed\n").contains("\tat io.i2kit.");
    }
}
