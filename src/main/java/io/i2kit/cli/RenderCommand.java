package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.build.OwnerOnly;
import io.i2kit.discovery.Discovery;
import io.i2kit.linuxkit.ImageDefaults;
import io.i2kit.lock.LockFile;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.pipeline.Rendered;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Writes one LinuxKit YAML per service (OUT/linuxkit/<service>.yml) and the CloudFormation "
                + "templates (OUT/cloudformation/*.json), offline.",
                "Image references are pinned with the digests of i2kit.lock when it has them."},
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit render -f examples/polls --out out/",
                "  i2kit render -f examples/polls -e examples/polls/aws.yml --out out/"})
final class RenderCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into.")
    Path out;
    @Spec
    CommandSpec spec;

    record Result(String application, List<String> files) {
    }

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        Pipeline.Checked checked = Pipeline.check(loaded);
        Discovery discovery = checked.discovery();
        LockFile lock = LockFile.read(loaded.manifest().lockFile());
        Rendered rendered = Pipeline.render(discovery, loaded.target(), lock.pins(), ImageDefaults.Lookup.OFFLINE);
        // Files are independent: render and write them on every core, keeping their order for the report.
        List<String> files = rendered.files().parallelStream().map(f -> write(out.resolve(f.path()), f.text())).toList();
        var stdout = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(stdout, new Result(discovery.application().name(), files));
        } else {
            Warnings.print(EventRenderer.forStderr(spec.commandLine().getErr(), output), checked.warnings());
            files.forEach(f -> stdout.println("wrote " + f));
        }
        stdout.flush();
    }

    /** Atomic per file: an interrupted render never leaves a half-written template behind. */
    static String write(Path file, String text) {
        try {
            OwnerOnly.directories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            OwnerOnly.file(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file.toString();
        } catch (IOException e) {
            throw new I2kitException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
