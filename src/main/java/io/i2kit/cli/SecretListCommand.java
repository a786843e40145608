package io.i2kit.cli;

import io.i2kit.secret.SecretInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "Lists the application's secrets: name, version and when it was set. Never a value.",
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit secret list -f examples/polls", "  i2kit secret list -f examples/polls --output json"})
final class SecretListCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    AwsOptions aws;
    @Mixin
    OutputOptions output;
    @Spec
    CommandSpec spec;

    /** The JSON form: the application and its secrets, each time as ISO-8601 UTC. */
    record Listing(String application, List<Entry> secrets) {
    }

    record Entry(String name, long version, String updated) {
        static Entry of(SecretInfo info) {
            return new Entry(info.name(), info.version(), info.updated().toString());
        }
    }

    @Override
    public void run() {
        SecretCommand.Scope scope = SecretCommand.Scope.of(app, aws);
        String application = scope.application();
        List<SecretInfo> secrets = scope.store().list();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(out, new Listing(application, secrets.stream().map(Entry::of).toList()));
        } else if (secrets.isEmpty()) {
            spec.commandLine().getErr().printf("application %s has no secrets%n", application);
        } else {
            out.printf("%-32s %7s  %s%n", "NAME", "VERSION", "UPDATED");
            secrets.forEach(s -> out.printf("%-32s %7d  %s%n", s.name(), s.version(), s.updated()));
        }
        out.flush();
    }
}
