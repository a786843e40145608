package io.i2kit.cli;

import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.AwsPlan;
import io.i2kit.provider.aws.AwsProvider;
import io.i2kit.provider.local.DesiredState;
import io.i2kit.provider.local.LocalProvider;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.LocalPlan;
import io.i2kit.oci.store.I2kitHome;
import java.util.List;
import java.util.Map;
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
        Discovery discovery = Pipeline.validate(loaded);
        I2kitHome home = I2kitHome.fromEnvironment();
        var err = spec.commandLine().getErr();
        ProgressPrinter progress = ProgressPrinter.forStderr(err);
        if (AwsTarget.isAws(loaded)) {
            AwsProvider provider = AwsTarget.provider(loaded.target(), aws, err, progress);
            AwsPlan plan = provider.plan(AwsTarget.release(loaded, discovery, err, progress));
            AwsOutput.plan(spec.commandLine().getOut(), plan, output.json());
            return;
        }
        ImagePreparation.bootstrapIfMissing(home, loaded, err, progress);
        Map<String, BuiltImage> images = ImagePreparation.build(home, loaded, discovery, progress, false);
        LocalProvider provider = new LocalProvider(home);
        // How VMs would run (KVM or TCG) is no part of the comparison: no probe here.
        DesiredState desired = provider.desired(discovery, images, Accelerator.TCG);
        List<LocalPlan.Change> changes = provider.plan(desired).changes();
        var out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(out, changes);
        } else {
            changes.forEach(c -> out.printf("%-10s %-12s %s%n", c.action().lower(),
                    c.service(), c.detail()));
        }
        out.flush();
    }
}
