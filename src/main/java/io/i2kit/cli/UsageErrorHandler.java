package io.i2kit.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Usage mistakes: the message, a pointer to --help, exit status 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr());
        cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ErrorHandler.INVALID;
    }
}
