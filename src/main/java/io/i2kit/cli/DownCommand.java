package io.i2kit.cli;

import picocli.CommandLine.Command;

@Command(name = "down", mixinStandardHelpOptions = true, description = "Removes everything the application runs (not implemented yet).",
        footerHeading = "%nExamples:%n", footer = "  i2kit down -f examples/polls")
final class DownCommand extends NotImplemented {
    @Override
    String what() {
        return "down";
    }
}
