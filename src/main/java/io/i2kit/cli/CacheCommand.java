package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.build.CachePruner;
import io.i2kit.oci.store.I2kitHome;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Manages $I2KIT_HOME: blobs, unpacked layers and built images.",
        subcommands = CacheCommand.Prune.class,
        footerHeading = "%nExamples:%n", footer = {"  i2kit cache prune", "  i2kit cache prune --older-than 1d --dry-run"})
final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: prune");
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Removes what no recent build uses: builds not used for --older-than, the blobs and "
                    + "unpacked layers only they needed, and leftovers of interrupted work.",
                    "The base packages of the local store (i2kit bootstrap) are always kept."},
            footerHeading = "%nExamples:%n", footer = {"  i2kit cache prune", "  i2kit cache prune --older-than 12h --dry-run"})
    static final class Prune implements Runnable {
        @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "7d",
                description = "Keep builds used within this age: 30m, 12h, 7d. Default: ${DEFAULT-VALUE}.")
        String olderThan;
        @Option(names = "--dry-run", description = "Say what would be removed, remove nothing.")
        boolean dryRun;
        @Mixin
        OutputOptions output;
        @Spec
        CommandSpec spec;

        record Result(boolean dryRun, int builds, int blobs, int layers, long bytes) {
        }

        @Override
        public void run() {
            CachePruner.Result r = new CachePruner(I2kitHome.fromEnvironment()).prune(age(olderThan), dryRun);
            var out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.printJson(out, new Result(dryRun, r.builds(), r.blobs(), r.layers(), r.bytes()));
            } else {
                out.printf("%s %d builds, %d blobs, %d unpacked layers (%s)%n", dryRun ? "would remove" : "removed",
                        r.builds(), r.blobs(), r.layers(), Sizes.format(r.bytes()));
            }
            out.flush();
        }

        static Duration age(String text) {
            var m = java.util.regex.Pattern.compile("(\\d{1,6})([mhd])").matcher(text);
            if (!m.matches()) {
                throw new InvalidInputException("--older-than " + text + ": expected an age such as 30m, 12h or 7d");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    }
}
