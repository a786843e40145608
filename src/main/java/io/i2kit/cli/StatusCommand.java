package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.AwsStatus;
import io.i2kit.provider.local.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the application's services, their replicas and health, image digests and endpoints.",
                "On AWS (-e naming provider: aws): its stacks, their scaling groups' instances and endpoints."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit status -f examples/polls", "  i2kit status -f examples/polls --output json",
                "  i2kit status -f examples/polls -e examples/polls/aws.yml"})
final class StatusCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        if (AwsTarget.isAws(loaded)) {
            var err = spec.commandLine().getErr();
            AwsStatus status = AwsTarget.provider(loaded.target(), aws, err, ProgressPrinter.forStderr(err))
                    .status(loaded.manifest().application().name());
            AwsOutput.status(spec.commandLine().getOut(), status, output.json());
            return;
        }
        Status status = RunningApplication.status(app);
        Endpoints.print(spec.commandLine().getOut(), status, output.json());
    }
}
