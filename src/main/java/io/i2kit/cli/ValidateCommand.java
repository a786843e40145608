package io.i2kit.cli;

import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Manifest;
import io.i2kit.pipeline.Pipeline;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a manifest (and an environment file) and reports every problem at once.",
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit validate                       # ./i2kit.yml",
                "  i2kit validate -f examples/polls/compose.yml",
                "  i2kit validate -f examples/polls -e examples/polls/aws.yml --output json"})
final class ValidateCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Spec
    CommandSpec spec;

    /**
     * The JSON result: the application as i2kit understood it, with its discovery endpoints and what
     * each service is told about (its uses, implied ones included).
     */
    record Result(String file, String format, String application, String zone, int services, int containers,
                  Map<String, String> endpoints, Map<String, List<String>> uses, List<String> warnings) {
    }

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        Manifest manifest = loaded.manifest();
        Pipeline.Checked checked = Pipeline.check(loaded);
        Discovery discovery = checked.discovery();
        Application a = discovery.application();
        int containers = a.services().stream().mapToInt(s -> s.containers().size()).sum();
        var out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, String> endpoints = new java.util.LinkedHashMap<>();
            discovery.endpoints().forEach((k, v) -> endpoints.put(k, v.endpoint()));
            OutputOptions.printJson(out, new Result(manifest.file().toString(), manifest.format().name().toLowerCase(java.util.Locale.ROOT),
                    a.name(), a.zone(), a.services().size(), containers, endpoints, discovery.uses(),
                    checked.warnings().stream().map(Object::toString).toList()));
        } else {
            int warnings = checked.warnings().size();
            Warnings.print(EventRenderer.forStderr(spec.commandLine().getErr(), output), checked.warnings());
            out.printf("%s: valid: application %s, %d services, %d containers%s%n", manifest.file(), a.name(),
                    a.services().size(), containers, warnings == 0 ? "" : ", " + warnings + " warnings");
        }
        out.flush();
    }
}
