package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.local.LocalProvider;
import io.i2kit.provider.local.Status;
import io.i2kit.store.I2kitHome;
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
        String name = Pipeline.load(app.file, java.util.Optional.empty()).manifest().application().name();
        Status status = new LocalProvider(I2kitHome.fromEnvironment()).status(name).orElseThrow(() ->
                new I2kitException("application " + name + " is not running locally; start it with: i2kit up -f " + app.file));
        Endpoints.print(spec.commandLine().getOut(), status, output.json());
    }
}
