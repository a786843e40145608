package io.i2kit.cli;

import io.i2kit.provider.local.LocalProvider;
import io.i2kit.store.I2kitHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stops every VM and load balancer of the application, ends its supervisor and removes its state.",
        footerHeading = "%nExamples:%n", footer = "  i2kit down -f examples/polls")
final class DownCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        String name = RunningApplication.name(app);
        var err = spec.commandLine().getErr();
        boolean wasRunning = new LocalProvider(I2kitHome.fromEnvironment()).down(name, line -> {
            err.println(line);
            err.flush();
        });
        spec.commandLine().getOut().println(wasRunning ? name + ": stopped, state removed" : name + ": was not running");
        spec.commandLine().getOut().flush();
    }
}
