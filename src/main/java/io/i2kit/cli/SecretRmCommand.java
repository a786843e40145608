package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.manifest.SecretName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Deletes a secret, every version of it. VMs that run keep the value they received; the next "
                + "up fails while a container still reads it.",
        footerHeading = "%nExamples:%n", footer = "  i2kit secret rm -f examples/polls polls-db-password")
final class SecretRmCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    AwsOptions aws;
    @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name.")
    String name;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        SecretName.check(name);
        SecretCommand.Scope scope = SecretCommand.Scope.of(app, aws);
        String application = scope.application();
        if (!scope.store().remove(name)) {
            throw new I2kitException("application " + application + " has no secret " + name
                    + "; i2kit secret list shows those it has");
        }
        spec.commandLine().getOut().printf("removed secret %s of %s%n", name, application);
        spec.commandLine().getOut().flush();
    }
}
