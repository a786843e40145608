package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.manifest.Durations;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Reports;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Runs the application on its target. Locally (the default): each service as QEMU VMs behind a "
                + "load balancer on this machine, kept at its replica count by a supervisor in the background.",
                "A second up of the same application updates it: only services whose image changed get new VMs, "
                        + "one at a time, each healthy before an old one is drained and stopped; when any service's new "
                        + "VMs never become healthy, every service the update changed is rolled back.",
                "On AWS (-e naming provider: aws): each service's image becomes an AMI (uploaded once per image "
                        + "digest), then the environment stack and the service stacks are deployed through change "
                        + "sets; stacks whose template and image did not change are not touched."},
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit up -f examples/polls", "  i2kit up -f examples/polls -e examples/polls/aws.yml", "  i2kit up -f examples/web --foreground   # Ctrl-C stops everything"})
final class UpCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Mixin
    AwsOptions aws;
    @Mixin
    AcceleratorOptions accel;
    @Option(names = "--health-timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "AWS only: how long a created or updated service's instances have to pass the load "
                    + "balancer's health checks before up fails (and rolls an update back). Default: ${DEFAULT-VALUE}.")
    String healthTimeout;
    @Option(names = "--foreground", description = "Keep the supervisor attached; Ctrl-C tears everything down.")
    boolean foreground;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        EventRenderer events = EventRenderer.forStderr(spec.commandLine().getErr(), output);
        Warnings.print(events, Pipeline.check(loaded).warnings());
        ReportPrinter printer = new ReportPrinter(spec.commandLine().getOut(), output);
        // The provider first: it refuses missing credentials before anything is built.
        Provider provider = Providers.of(loaded.target(), aws, events);
        var options = new Provider.UpOptions(accel.mode(), healthTimeout(), foreground, printer::deployment);
        var secrets = new Pipeline.Secrets(Providers.secrets(loaded, aws), app.secretSetCommand());
        Reports.Deployment deployment = Pipeline.up(loaded, provider, secrets, options, events);
        if (!foreground) {
            printer.deployment(deployment);
        }
    }

    private Duration healthTimeout() {
        return Durations.parse(healthTimeout).filter(d -> !d.isZero()).orElseThrow(() -> new InvalidInputException(
                "--health-timeout: expected a duration such as 90s or 10m, found \"" + healthTimeout + "\""));
    }
}
