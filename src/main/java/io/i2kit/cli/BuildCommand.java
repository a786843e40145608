package io.i2kit.cli;

import picocli.CommandLine.Command;

@Command(name = "build", mixinStandardHelpOptions = true, description = "Builds each service's machine image from its LinuxKit YAML (not implemented yet).",
        footerHeading = "%nExamples:%n", footer = "  i2kit build -f examples/polls")
final class BuildCommand extends NotImplemented {
    @Override
    String what() {
        return "build";
    }
}
