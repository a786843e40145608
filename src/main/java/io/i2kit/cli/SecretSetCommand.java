package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.manifest.SecretName;
import io.i2kit.secret.SecretInfo;
import io.i2kit.secret.SecretValue;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Stores a new version of a secret, its value read from standard input (never from the "
                + "command line, which other users see in ps and shells keep in history). One trailing newline is "
                + "dropped. On a terminal it asks for the value without echoing it.",
                "The next up replaces the VMs of the services that read the secret; the images stay as they are."},
        footerHeading = "%nExamples:%n",
        footer = {"  printf %%s \"$PASSWORD\" | i2kit secret set -f examples/polls polls-db-password",
                "  i2kit secret set -f examples/polls polls-db-password < password.txt",
                "  i2kit secret set -f examples/polls polls-db-password   # on a terminal: asks, without echo"})
final class SecretSetCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    AwsOptions aws;
    @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name: 1 to 128 letters, digits, '_', '-' and '.'.")
    String name;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        SecretName.check(name);
        SecretCommand.Scope scope = SecretCommand.Scope.of(app, aws);
        byte[] value = read();
        try {
            SecretInfo info = scope.store().set(name, value);
            spec.commandLine().getOut().printf("secret %s of %s: version %d%n", info.name(), scope.application(),
                    info.version());
            spec.commandLine().getOut().flush();
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    private byte[] read() {
        Console console = System.console();
        byte[] value = console != null ? fromTerminal(console) : fromStdin(System.in);
        SecretValue.check(name, value);
        return value;
    }

    private byte[] fromTerminal(Console console) {
        char[] typed = console.readPassword("value of secret %s (not echoed): ", name);
        if (typed == null) {
            return new byte[0];
        }
        var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
        Arrays.fill(typed, '\0');
        byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        return value;
    }

    /** All of stdin up to the limit (one byte more shows it is exceeded), less one trailing newline. */
    static byte[] fromStdin(InputStream in) {
        byte[] all;
        try {
            all = in.readNBytes(SecretValue.MAX_BYTES + 2);
        } catch (IOException e) {
            throw new I2kitException("cannot read the secret's value from standard input: " + e.getMessage(), e);
        }
        if (all.length > 0 && all[all.length - 1] == '\n') {
            byte[] stripped = Arrays.copyOf(all, all.length - 1);
            Arrays.fill(all, (byte) 0);
            return stripped;
        }
        return all;
    }
}
