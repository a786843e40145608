package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Shows the console output of a service's VMs, each line prefixed with its VM.",
                "On AWS (-e naming provider: aws): each instance's console output as EC2 last saved it."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit logs -f examples/polls vote", "  i2kit logs -f examples/polls vote --follow",
                "  i2kit logs -f examples/polls -e examples/polls/aws.yml vote"})
final class LogsCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Parameters(paramLabel = "SERVICE", description = "The service whose VMs to show.")
    String service;
    @Option(names = "--follow", description = "Keep printing new output until interrupted.")
    boolean follow;
    @Mixin
    AwsOptions aws;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        EventRenderer events = EventRenderer.forStderr(spec.commandLine().getErr(), null);
        var out = spec.commandLine().getOut();
        Providers.of(loaded.target(), aws, events).logs(new Provider.LogsRequest(
                loaded.manifest().application().name(), service, follow), line -> {
                    out.println("[" + line.source() + "] " + line.text());
                    out.flush();
                }, events);
    }
}
