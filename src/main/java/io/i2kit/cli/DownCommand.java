package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stops every VM and load balancer of the application, ends its supervisor and removes its state.",
                "Volumes (their data) are kept and listed, unless --delete-data.",
                "On AWS (-e naming provider: aws): deletes the service stacks, then the environment stack, then the "
                        + "AMIs and snapshots i2kit made for the application (unless --keep-images); with --delete-data, "
                        + "a final snapshot of each EBS volume (unless --no-final-snapshot), then the volumes."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit down -f examples/polls",
                "  i2kit down -f examples/polls --delete-data",
                "  i2kit down -f examples/polls -e examples/polls/aws.yml"})
final class DownCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    AwsOptions aws;
    @Mixin
    OutputOptions output;
    @Option(names = "--keep-images", description = "AWS only: keep the AMIs and snapshots i2kit made for the application.")
    boolean keepImages;
    @Option(names = "--delete-data", description = "Also delete the services' volumes (their data). Without it, down "
            + "keeps them for the next up and lists them.")
    boolean deleteData;
    @Option(names = "--no-final-snapshot", negatable = false, description = "AWS only, with --delete-data: delete the "
            + "volumes without taking a final snapshot of each first.")
    boolean noFinalSnapshot;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        EventRenderer events = EventRenderer.forStderr(spec.commandLine().getErr(), output);
        Provider provider = Providers.of(loaded.target(), aws, events);
        new ReportPrinter(spec.commandLine().getOut(), output).removal(provider.down(
                new Provider.DownRequest(loaded.manifest().application().name(), keepImages, deleteData, !noFinalSnapshot),
                events));
    }
}
