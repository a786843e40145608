package io.i2kit.cloudformation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The npm cfn-lint installed by {@code scripts/setup-cfn-lint}. {@code cfn-lint validate FILE}
 * prints "N infos", "N warn", "N crit" with details (coloured even when piped), then "Template
 * valid!" and exits 0, or "Template invalid!" and exits 1 when there is a crit.
 */
record CfnLint(Path executable) {
    static final String PROPERTY = "i2kit.cfnlint";
    static final Path DEFAULT = Path.of(".tools/cfn-lint/node_modules/.bin/cfn-lint");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern COUNT = Pattern.compile("(?m)^(\\d+) (warn|crit)$");

    record Result(Path template, int exitCode, int warnings, int criticals, String output) {
        boolean passes() {
            return exitCode == 0 && warnings == 0 && criticals == 0;
        }

        @Override
        public String toString() {
            return template + ": exit " + exitCode + ", " + warnings + " warn, " + criticals + " crit\n" + output;
        }
    }

    static CfnLint locate() {
        String configured = System.getProperty(PROPERTY);
        Path executable = configured != null && !configured.isBlank() ? Path.of(configured) : DEFAULT;
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("cfn-lint not found at " + executable.toAbsolutePath() + " (system property "
                    + PROPERTY + (configured == null ? " unset" : "=" + configured) + "); run scripts/setup-cfn-lint "
                    + "or pass -D" + PROPERTY + "=/path/to/cfn-lint");
        }
        return new CfnLint(executable);
    }

    /** The resource specification this cfn-lint validates against (replaced by the setup script). */
    Path specification() {
        return executable.toAbsolutePath().getParent().getParent()
                .resolve("cfn-lint/data/aws_resources_specification.json");
    }

    Result validate(Path template) {
        try {
            Process process = new ProcessBuilder(List.of(executable.toAbsolutePath().toString(), "validate",
                    template.toAbsolutePath().toString())).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("cfn-lint did not finish within 60 s on " + template);
            }
            String output = ANSI.matcher(new String(out, StandardCharsets.UTF_8)).replaceAll("");
            int warnings = 0;
            int criticals = 0;
            Matcher m = COUNT.matcher(output);
            while (m.find()) {
                if (m.group(2).equals("warn")) {
                    warnings = Integer.parseInt(m.group(1));
                } else {
                    criticals = Integer.parseInt(m.group(1));
                }
            }
            return new Result(template, process.exitValue(), warnings, criticals, output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable + " validate " + template + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running cfn-lint", e);
        }
    }
}
