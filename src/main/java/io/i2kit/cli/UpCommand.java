package io.i2kit.cli;

import picocli.CommandLine.Command;

@Command(name = "up", mixinStandardHelpOptions = true, description = "Deploys the application to its target (not implemented yet).",
        footerHeading = "%nExamples:%n", footer = "  i2kit up -f examples/polls")
final class UpCommand extends NotImplemented {
    @Override
    String what() {
        return "up";
    }
}
