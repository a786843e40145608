package io.i2kit.cli;

import io.i2kit.provider.local.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the application's services, their replicas and health, image digests and endpoints.",
        footerHeading = "%nExamples:%n", footer = {"  i2kit status -f examples/polls", "  i2kit status -f examples/polls --output json"})
final class StatusCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Status status = RunningApplication.status(app);
        Endpoints.print(spec.commandLine().getOut(), status, output.json());
    }
}
