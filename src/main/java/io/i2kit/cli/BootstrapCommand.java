package io.i2kit.cli;

import io.i2kit.bootstrap.Bootstrap;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.store.I2kitHome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = {"Builds the offline profile's base images from Debian's packages into the local store "
                + "($I2KIT_HOME, an OCI layout): i2kit.local/kernel:bookworm, i2kit.local/init:bookworm, "
                + "i2kit.local/mke2fs:bookworm (for services with volumes), "
                + "i2kit.local/crun:bookworm, i2kit.local/runc:bookworm and i2kit.local/systemd-boot:bookworm.",
                "Package versions come from the indexes apt-get update keeps in /var/lib/apt/lists (run it first); "
                        + "the .deb files come from the mirror of /etc/apt/sources.list*, checked against the index's SHA256. "
                        + "An image whose packages and recipe are unchanged is not built again."},
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit bootstrap",
                "  i2kit bootstrap -f examples/polls          # also record the digests in examples/polls/i2kit.lock",
                "  i2kit bootstrap --examples                 # also build examples/images/*/oci",
                "",
                "Exit status: 0 success, 1 the operation failed, 2 invalid input or usage."})
final class BootstrapCommand implements Runnable {
    @Option(names = {"-f", "--file"}, paramLabel = "APP",
            description = "An application (manifest file or its directory) whose i2kit.lock gets the base images' digests.")
    Path app;
    @Option(names = "--examples", description = "Also build every examples/images/<name>/image.yml into examples/images/<name>/oci (tag latest).")
    boolean examples;
    @Option(names = "--examples-dir", paramLabel = "DIR", defaultValue = "examples/images",
            description = "Where the example images are. Default: ${DEFAULT-VALUE}.")
    Path examplesDir;
    @Mixin
    OutputOptions output;
    @Spec
    CommandSpec spec;

    record Line(String name, String reference, String digest, long size, boolean unchanged) {
    }

    record Result(List<Line> images, String lockFile) {
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Bootstrap.Options options = Bootstrap.Options.defaults();
        if (examples) {
            options = options.withExamples(examplesDir);
        }
        Bootstrap.Result result = Bootstrap.run(I2kitHome.fromEnvironment(), options, EventRenderer.forStderr(err, output).progress());
        Optional<Path> lockFile = Optional.ofNullable(app).map(a -> (Files.isDirectory(a) ? a : a.toAbsolutePath().getParent()).resolve("i2kit.lock"));
        lockFile.ifPresent(f -> Bootstrap.lock(result, f));
        List<Line> lines = new ArrayList<>();
        for (Bootstrap.Image i : concat(result.base(), result.examples())) {
            lines.add(new Line(i.name(), i.reference(), i.manifest().digest().toString(), i.size(), i.unchanged()));
        }
        if (output.json()) {
            OutputOptions.printJson(out, new Result(lines, lockFile.map(Path::toString).orElse(null)));
        } else {
            for (Line l : lines) {
                out.printf("%-44s %s %8s%s%n", l.reference(), l.digest(), Sizes.format(l.size()), l.unchanged() ? "  (unchanged)" : "");
            }
            lockFile.ifPresent(f -> out.println("locked " + result.base().size() + " base images in " + f));
        }
        out.flush();
    }

    private static List<Bootstrap.Image> concat(List<Bootstrap.Image> a, List<Bootstrap.Image> b) {
        List<Bootstrap.Image> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

}
