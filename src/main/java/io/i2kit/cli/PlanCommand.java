package io.i2kit.cli;

import picocli.CommandLine.Command;

@Command(name = "plan", mixinStandardHelpOptions = true, description = "Shows what up would change (not implemented yet).",
        footerHeading = "%nExamples:%n", footer = "  i2kit plan -f examples/polls")
final class PlanCommand extends NotImplemented {
    @Override
    String what() {
        return "plan";
    }
}
