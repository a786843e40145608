package io.i2kit.cli;

import picocli.CommandLine;

/** The {@code i2kit} executable: builds the command line and exits with its status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: i2kit ran out of memory (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB of heap); give it more with I2KIT_JAVA_OPTS=-Xmx2g");
            status = ErrorHandler.FAILED;
        }
        System.exit(status);
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
