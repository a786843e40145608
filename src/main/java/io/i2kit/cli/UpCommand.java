package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.AwsDeployment;
import io.i2kit.provider.aws.AwsProvider;
import io.i2kit.provider.local.AppPaths;
import io.i2kit.provider.local.ControlServer;
import io.i2kit.provider.local.DesiredState;
import io.i2kit.provider.local.LocalProvider;
import io.i2kit.provider.local.Status;
import io.i2kit.provider.local.Supervisor;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.VmLauncher;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.manifest.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Runs the application on its target. Locally (the default): each service as QEMU VMs behind a "
                + "load balancer on this machine, kept at its replica count by a supervisor in the background.",
                "A second up of the same application updates it: only services whose image changed get new VMs, "
                        + "one at a time, each healthy before an old one is drained and stopped; an update that never "
                        + "becomes healthy is rolled back.",
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
        Discovery discovery = Pipeline.validate(loaded);
        PrintWriter err = spec.commandLine().getErr();
        Warnings.print(err, loaded.manifest());
        if (AwsTarget.isAws(loaded)) {
            if (foreground) {
                throw new InvalidInputException("--foreground is for the local target; on AWS nothing of i2kit keeps running");
            }
            ProgressPrinter progress = ProgressPrinter.forStderr(err);
            // The provider first: it refuses missing credentials before anything is built.
            AwsProvider provider = AwsTarget.provider(loaded.target(), aws, err, progress, healthTimeout());
            AwsDeployment deployment = provider.up(AwsTarget.release(loaded, discovery, err, progress));
            AwsOutput.deployment(spec.commandLine().getOut(), deployment, output.json());
            return;
        }
        VmLauncher.requireTools();
        Accelerator.Mode mode = accel.mode();
        VmLauncher.requireAccelerator(mode);
        ImagePreparation.requireMemory(discovery);
        I2kitHome home = I2kitHome.fromEnvironment();
        ProgressPrinter progress = ProgressPrinter.forStderr(err);
        ImagePreparation.bootstrapIfMissing(home, loaded, err, progress);
        Map<String, BuiltImage> images = ImagePreparation.build(home, loaded, discovery, progress, false);
        LocalProvider provider = new LocalProvider(home);
        DesiredState desired = provider.desired(discovery, images, chooseAccelerator(home, mode, images, err));
        if (foreground) {
            runInForeground(provider, desired, err);
            return;
        }
        Status status = provider.up(desired, line -> {
            err.println(line);
            err.flush();
        });
        Endpoints.print(spec.commandLine().getOut(), status, output.json());
    }

    /** Probes KVM with the images' kernel (cached per host boot); says in one line why it falls back to TCG. */
    private static Accelerator chooseAccelerator(I2kitHome home, Accelerator.Mode mode, Map<String, BuiltImage> images,
                                                 PrintWriter err) {
        BuiltImage any = images.values().iterator().next();
        Accelerator.Choice choice = VmLauncher.create().chooseAccelerator(mode, any.kernel(), Optional.of(home.root()));
        choice.reason().ifPresent(why -> {
            err.println("i2kit: using TCG (software emulation, slower boots): " + why);
            err.flush();
        });
        return choice.accelerator();
    }

    private Duration healthTimeout() {
        return Durations.parse(healthTimeout).filter(d -> !d.isZero()).orElseThrow(() -> new InvalidInputException(
                "--health-timeout: expected a duration such as 90s or 10m, found \"" + healthTimeout + "\""));
    }

    /**
     * The supervisor in this process: it takes the application's lock and serves the control socket
     * like a background one, so status, a second up and down from elsewhere see it.
     */
    private void runInForeground(LocalProvider provider, DesiredState desired, PrintWriter err) {
        AppPaths paths = provider.paths(desired.application());
        var lock = Supervisor.claim(paths);
        Supervisor supervisor = new Supervisor(paths, VmLauncher.create(), line -> {
            err.println(line);
            err.flush();
        });
        ControlServer control;
        try {
            control = new ControlServer(paths, supervisor);
        } catch (java.io.IOException e) {
            supervisor.close();
            throw new io.i2kit.I2kitException("cannot open the control socket " + paths.control() + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("i2kit: stopping every VM and load balancer");
            err.flush();
            supervisor.close();
            try {
                control.close();
            } catch (java.io.IOException e) {
                // the socket file is removed by the next supervisor's bind
            }
        }, "i2kit-foreground-stop"));
        supervisor.apply(desired, line -> {
            err.println(line);
            err.flush();
        });
        Endpoints.print(spec.commandLine().getOut(), supervisor.status(), output.json());
        err.println("i2kit: running in the foreground; Ctrl-C stops everything");
        err.flush();
        control.serve();
        supervisor.close();
        try {
            lock.release();
        } catch (java.io.IOException e) {
            // released when the process ends anyway
        }
    }
}
