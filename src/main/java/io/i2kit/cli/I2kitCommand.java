package io.i2kit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "i2kit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Deploys microservices as immutable VMs behind load balancers, with service discovery "
                + "through environment variables and no control plane at run time.",
        subcommands = {ValidateCommand.class, RenderCommand.class, LockCommand.class, BootstrapCommand.class, BuildCommand.class, CacheCommand.class,
                UpCommand.class, PlanCommand.class, StatusCommand.class, LogsCommand.class, DownCommand.class,
                SecretCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit validate -f examples/polls",
                "  i2kit render -f examples/polls --out out/",
                "  i2kit render -f examples/polls -e examples/polls/aws.yml --out out/",
                "",
                "Exit status: 0 success, 1 the operation failed, 2 invalid input or usage."})
final class I2kitCommand implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    static boolean debug;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
