package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.AwsRemoval;
import io.i2kit.provider.local.LocalProvider;
import io.i2kit.oci.store.I2kitHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stops every VM and load balancer of the application, ends its supervisor and removes its state.",
                "On AWS (-e naming provider: aws): deletes the service stacks, then the environment stack, then the "
                        + "AMIs and snapshots i2kit made for the application (unless --keep-images)."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit down -f examples/polls",
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
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var err = spec.commandLine().getErr();
        if (app.environment != null) {
            Pipeline.Loaded loaded = app.load();
            if (AwsTarget.isAws(loaded)) {
                String application = loaded.manifest().application().name();
                AwsRemoval removal = AwsTarget.provider(loaded.target(), aws, err, ProgressPrinter.forStderr(err))
                        .down(application, keepImages);
                AwsOutput.removal(spec.commandLine().getOut(), application, removal, output.json());
                return;
            }
        }
        String name = RunningApplication.name(app);
        boolean wasRunning = new LocalProvider(I2kitHome.fromEnvironment()).down(name, line -> {
            err.println(line);
            err.flush();
        });
        spec.commandLine().getOut().println(wasRunning ? name + ": stopped, state removed" : name + ": was not running");
        spec.commandLine().getOut().flush();
    }
}
