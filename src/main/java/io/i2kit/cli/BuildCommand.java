package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuiltImage;
import io.i2kit.build.ImageExport;
import io.i2kit.build.OutputFormat;
import io.i2kit.discovery.Discovery;
import io.i2kit.image.Compression;
import io.i2kit.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Builds each service's bootable image from its LinuxKit YAML, natively: no Docker, no LinuxKit.",
                "Writes <service>-kernel, <service>-initrd.img and <service>-cmdline (kernel+initrd) and "
                        + "<service>-efi.img (raw-efi) into --out. A service whose inputs did not change is not "
                        + "rebuilt: its image comes from the build cache in $I2KIT_HOME.",
                "References not in i2kit.lock are resolved and recorded there."},
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit bootstrap && i2kit bootstrap --examples   # once: base packages and example images",
                "  i2kit build -f examples/web --out out/",
                "  i2kit build -f examples/polls --format raw-efi --service vote --out out/",
                "  i2kit build -f examples/web --compression zstd --out out/"})
final class BuildCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Option(names = "--format", paramLabel = "F", split = ",", defaultValue = "kernel+initrd",
            description = "kernel+initrd (default) and/or raw-efi; repeat or separate with commas.")
    List<String> formats;
    @Option(names = "--compression", paramLabel = "C", defaultValue = "gzip",
            description = "Initrd compression: gzip (default), zstd, lz4 (both unpack faster at boot) or none.")
    String compression;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where to write the images. Default: the current directory.")
    Path out;
    @Option(names = "--service", paramLabel = "NAME", split = ",", description = "Build only these services.")
    List<String> services = new ArrayList<>();
    @Spec
    CommandSpec spec;

    record Result(String service, String digest, boolean upToDate, List<String> files) {
    }

    @Override
    public void run() {
        boolean rawEfi = false;
        boolean kernelInitrd = false;
        for (String f : formats) {
            OutputFormat format = OutputFormat.parse(f).orElseThrow(() -> new InvalidInputException(
                    "--format " + f + ": expected kernel+initrd or raw-efi"));
            rawEfi |= format == OutputFormat.RAW_EFI;
            kernelInitrd |= format == OutputFormat.KERNEL_INITRD;
        }
        Compression c = switch (compression.toLowerCase(Locale.ROOT)) {
            case "gzip" -> Compression.GZIP;
            case "zstd" -> Compression.ZSTD;
            case "lz4" -> Compression.LZ4;
            case "none" -> Compression.NONE;
            default -> throw new InvalidInputException("--compression " + compression
                    + ": expected gzip, zstd, lz4 or none");
        };
        Pipeline.Loaded loaded = app.load();
        Pipeline.Checked checked = Pipeline.check(loaded);
        Discovery discovery = checked.discovery();
        var err = spec.commandLine().getErr();
        EventRenderer events = EventRenderer.forStderr(err, output);
        Warnings.print(events, checked.warnings());
        ApplicationBuilder.Result built = Pipeline.build(loaded, discovery,
                new ApplicationBuilder.Options(c, rawEfi, new LinkedHashSet<>(services)), events);
        List<Result> results = new ArrayList<>();
        for (BuiltImage image : built.images()) {
            results.add(new Result(image.service(), image.digest().toString(), image.upToDate(),
                    ImageExport.export(image, out, kernelInitrd, rawEfi)));
        }
        print(results, built.images());
    }

    private void print(List<Result> results, List<BuiltImage> images) {
        var stdout = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(stdout, results);
        } else {
            for (BuiltImage image : images) {
                var sizes = image.record().sizes();
                stdout.printf("%s: %s %s (kernel %s, initrd %s%s)%n", image.service(),
                        image.upToDate() ? "up to date" : "built", image.digest(),
                        Sizes.format(sizes.getOrDefault("kernel", 0L)), Sizes.format(sizes.getOrDefault("initrd.img", 0L)),
                        sizes.containsKey("efi.img") ? ", disk " + Sizes.format(sizes.get("efi.img")) : "");
            }
        }
        stdout.flush();
    }
}
