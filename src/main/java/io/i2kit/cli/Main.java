package io.i2kit.cli;

import picocli.CommandLine;

/** The {@code i2kit} executable: builds the command line and exits with its status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run commands through it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new I2kitCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }
}
