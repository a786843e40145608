package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
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
    @Mixin
    AwsOptions aws;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        EventRenderer events = EventRenderer.forStderr(spec.commandLine().getErr(), output);
        new ReportPrinter(spec.commandLine().getOut(), output).status(Providers.of(loaded.target(), aws, events)
                .status(loaded.manifest().application().name(), events));
    }
}
