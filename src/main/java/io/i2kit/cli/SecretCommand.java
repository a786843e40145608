package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.secret.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "secret", mixinStandardHelpOptions = true,
        description = {"Sets, lists and removes the application's secrets: values a container reads as an "
                + "environment variable and as the file /run/secrets/NAME, which never enter an image, a rendered "
                + "file, state or output.",
                "Locally they are kept under $I2KIT_HOME/apps/APP/secrets (0600); on AWS (-e naming provider: aws) "
                        + "as SSM SecureString parameters /i2kit/APP/NAME. A new value is a new version: the next "
                        + "up replaces the VMs of every service that reads it."},
        subcommands = {SecretSetCommand.class, SecretListCommand.class, SecretRmCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  printf %%s \"$PASSWORD\" | i2kit secret set -f examples/polls polls-db-password",
                "  i2kit secret set -f examples/polls polls-db-password   # on a terminal: asks, without echo",
                "  i2kit secret list -f examples/polls",
                "  i2kit secret rm -f examples/polls polls-db-password"})
final class SecretCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a secret command is required: set, list or rm");
    }

    /** What every secret command works on: the application -f names and its target's store (-e). */
    record Scope(String application, SecretStore store) {
        static Scope of(ApplicationOptions app, AwsOptions aws) {
            Pipeline.Loaded loaded = app.load();
            return new Scope(loaded.manifest().application().name(), Providers.secrets(loaded, aws));
        }
    }
}
