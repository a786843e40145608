package io.i2kit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged CLI ({@code target/i2kit.jar}) as a user would, with its own {@code $I2KIT_HOME}. */
public final class Cli {
    public static final Path JAR = Path.of("target/i2kit.jar").toAbsolutePath();

    private Cli() {
    }

    /** What a run printed and how it ended. */
    public record Run(int status, String out, String err) {
        public Run assertSuccess() {
            if (status != 0) {
                throw new AssertionError("i2kit exited with " + status + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }
    }

    public static Run run(Path home, String... args) throws IOException, InterruptedException {
        return run(home, java.util.Map.of(), args);
    }

    /** Runs with extra environment variables (e.g. a PATH without some tool). */
    public static Run run(Path home, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(home, env, null, args);
    }

    /** Runs with {@code stdin} as standard input (a secret's value, as a pipe gives it). */
    public static Run runWithInput(Path home, byte[] stdin, String... args) throws IOException, InterruptedException {
        return run(home, java.util.Map.of(), stdin, args);
    }

    /**
     * Runs as another user: {@code prefix} switches to it ({@link OtherUser#command}), with
     * {@code env} besides {@code I2KIT_HOME}.
     */
    public static Run runAs(List<String> prefix, Path home, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(prefix, home, env, null, args);
    }

    private static Run run(Path home, java.util.Map<String, String> env, byte[] stdin, String... args)
            throws IOException, InterruptedException {
        return run(List.of(), home, env, stdin, args);
    }

    private static Run run(List<String> prefix, Path home, java.util.Map<String, String> env, byte[] stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        pb.environment().put("I2KIT_HOME", home.toString());
        pb.environment().putAll(env);
        Path err = java.nio.file.Files.createTempFile("i2kit-err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("i2kit " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        String errText = java.nio.file.Files.readString(err);
        java.nio.file.Files.deleteIfExists(err);
        return new Run(p.exitValue(), out, errText);
    }
}
