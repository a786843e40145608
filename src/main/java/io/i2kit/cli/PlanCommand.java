package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Shows what up would change: services to create, update (new image or replica count), "
                + "remove, or leave as they are. Builds images that are not built yet (as up would), starts nothing.",
                "On AWS: the change set of every stack (created, described, then deleted) and which AMIs would be "
                        + "made; nothing is uploaded or deployed."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit plan -f examples/polls", "  i2kit plan -f examples/polls -e examples/polls/aws.yml", "  i2kit plan -f examples/polls --output json"})
final class PlanCommand implements Runnable {
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
        Warnings.print(events, Pipeline.check(loaded).warnings());
        Provider provider = Providers.of(loaded.target(), aws, events);
        new ReportPrinter(spec.commandLine().getOut(), output).plan(Pipeline.plan(loaded, provider,
                new Pipeline.Secrets(Providers.secrets(loaded, aws), app.secretSetCommand()), events));
    }
}
