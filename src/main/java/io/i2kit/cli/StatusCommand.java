package io.i2kit.cli;

import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows services, replicas, health and endpoints (not implemented yet).",
        footerHeading = "%nExamples:%n", footer = "  i2kit status -f examples/polls")
final class StatusCommand extends NotImplemented {
    @Override
    String what() {
        return "status";
    }
}
