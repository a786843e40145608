package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How every command names the application: {@code -f} manifest (file or directory), {@code -e} environment file. */
final class ApplicationOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "i2kit.yml",
            description = "The manifest (i2kit, Kubernetes or compose), or a directory holding i2kit.yml. Default: ${DEFAULT-VALUE}.")
    Path file;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV",
            description = "Environment file with what depends on the target (provider, region, ...). Default: local.")
    Path environment;

    Pipeline.Loaded load() {
        return Pipeline.load(file, Optional.ofNullable(environment));
    }

    /** The command that sets a secret of this application, as the user typed {@code -f} and {@code -e}. */
    String secretSetCommand() {
        return "i2kit secret set -f " + file + (environment == null ? "" : " -e " + environment);
    }
}
