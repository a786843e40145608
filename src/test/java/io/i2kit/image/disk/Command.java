package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a checking tool (sgdisk, fsck.fat, mtools) to completion, for integration tests. */
record Command(int exitCode, String output) {
    static Command run(Path dir, List<String> command) {
        return run(dir, command, Map.of());
    }

    static Command run(Path dir, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            // Tools here print little; reading all output before waiting cannot deadlock.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish within 120 s; its output:%n%s", command, output);
            }
            return new Command(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e
                    + "; run scripts/setup.d/disk-tools.sh to install the disk tools", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Runs and fails the test, showing the output, unless the command succeeds. */
    static String ok(Path dir, String... command) {
        Command result = run(dir, List.of(command));
        if (result.exitCode != 0) {
            fail("%s exited with %d:%n%s", List.of(command), result.exitCode, result.output);
        }
        return result.output;
    }
}
