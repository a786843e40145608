package io.i2kit.cli;

import picocli.CommandLine.Command;

@Command(name = "logs", mixinStandardHelpOptions = true, description = "Shows a service's VM console output (not implemented yet).",
        footerHeading = "%nExamples:%n", footer = "  i2kit logs -f examples/polls")
final class LogsCommand extends NotImplemented {
    @Override
    String what() {
        return "logs";
    }
}
