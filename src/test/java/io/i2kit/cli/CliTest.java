package io.i2kit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.InlineManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs commands in-process, as a user would type them, capturing what they print. */
class CliTest {
    private static final String POLLS = "src/test/resources/manifests/valid/polls";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path tmp;

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @AfterEach
    void resetDebug() {
        I2kitCommand.debug = false;
    }

    @Test
    void validateAcceptsADirectory() {
        assertThat(run("validate", "-f", POLLS)).isZero();
        assertThat(out.toString()).isEqualTo(POLLS + "/i2kit.yml: valid: application polls, 5 services, 5 containers\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void validateReportsErrorsWithExitStatus2AndNoStackTrace() {
        String dir = "src/test/resources/manifests/invalid/misspelt-keys";
        assertThat(run("validate", "-f", dir)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                dir + "/i2kit.yml:4:5: error: services.web.replcas: unknown key \"replcas\"; did you mean \"replicas\"?\n"
                        + dir + "/i2kit.yml:8:9: error: services.web.containers.nginx.prots: unknown key \"prots\"; did you mean \"ports\"?\n"
                        + "2 errors in " + dir + "/i2kit.yml\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void validateShowsTheWarningsOfTheSemanticChecksToo() throws IOException {
        Path manifest = InlineManifest.file(tmp, "i2kit.yml", """
                name: shop
                services:
                  web:
                    health:
                      interval: 2500ms
                      timeout: 1s
                    containers:
                      web:
                        image: nginx:1.27
                        ports: [80]
                """);
        Path aws = InlineManifest.file(tmp, "aws.yml", "provider: aws\nregion: eu-west-1\n");
        assertThat(run("validate", "-f", manifest.toString(), "-e", aws.toString())).isZero();
        assertThat(err.toString()).contains(manifest + ":5:17: warning: services.web.health.interval: AWS load "
                + "balancers accept whole seconds from 5s to 300s; 2500ms becomes 5s on AWS",
                "services.web.health.timeout: AWS load balancers accept whole seconds from 2s to 120s; 1s becomes 2s on AWS");
        assertThat(out.toString()).as("the count covers them")
                .isEqualTo(manifest + ": valid: application shop, 1 services, 1 containers, 2 warnings\n");
        err.getBuffer().setLength(0);
        assertThat(run("validate", "-f", manifest.toString())).isZero();
        assertThat(err.toString()).as("the local target honours it").isEmpty();
    }

    @Test
    void debugShowsTheStackTrace() {
        assertThat(run("validate", "--debug", "-f", "src/test/resources/manifests/invalid/misspelt-keys")).isEqualTo(2);
        assertThat(err.toString()).contains("io.i2kit.manifest.ManifestException", "\tat io.i2kit.");
    }

    @Test
    void aMissingManifestSaysWhatToDo() {
        assertThat(run("validate", "-f", tmp.resolve("nope.yml").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(tmp.resolve("nope.yml") + ": error: no such file; pass the manifest with -f FILE\n");
        err.getBuffer().setLength(0);
        assertThat(run("validate", "-f", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(tmp + ": error: no i2kit.yml in this directory; pass the manifest with -f FILE\n");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("validate", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: Unknown option: '--bogus'").contains("Run 'i2kit validate --help'");
        assertThat(run("render", "-f", POLLS)).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
    }

    @Test
    void noFinalSnapshotIsAUsageErrorWithoutDeleteData() {
        assertThat(run("down", "-f", POLLS, "--no-final-snapshot")).isEqualTo(2);
        assertThat(err.toString()).contains("--no-final-snapshot applies with --delete-data only");
    }

    @Test
    void renderWritesOneLinuxkitFilePerService() throws IOException {
        assertThat(run("render", "-f", POLLS, "--out", tmp.toString())).isZero();
        try (var files = Files.list(tmp.resolve("linuxkit"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("vote.yml", "queue.yml", "worker.yml", "db.yml", "result.yml");
        }
        assertThat(Files.readString(tmp.resolve("linuxkit/worker.yml")))
                .isEqualTo(Files.readString(Path.of("src/test/resources/golden/linuxkit/polls/worker.yml")));
        assertThat(out.toString()).contains("wrote " + tmp.resolve("linuxkit/vote.yml"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("linuxkit/vote.yml")))).as("it holds the containers' environments").isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("linuxkit")))).isEqualTo("rwx------");
    }

    @Test
    void validateAsJsonForScripts() {
        assertThat(run("validate", "-f", POLLS, "--output", "json")).isZero();
        assertThat(out.toString()).contains("\"application\" : \"polls\"", "\"format\" : \"i2kit\"",
                "\"queue\" : \"queue.polls.i2kit.internal:6379\"", "\"worker\" : [ \"queue\", \"db\" ]");
    }

    @Test
    void logsRefusesAnUnknownContainerOrTimeBeforeAskingAnyTarget() {
        assertThat(run("logs", "-f", POLLS, "vote", "--container", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("error: --container nope: service vote has no such container; one of: web, "
                + "init, console").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("logs", "-f", POLLS, "vote", "--since", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("error: --since yesterday: neither a duration (30s, 10m, 2h) nor an ISO-8601 "
                + "instant such as 2026-12-03T21:00:00Z");
    }

    @Test
    void logsSinceTakesADurationBackFromNowOrAnInstant() {
        java.time.Instant before = java.time.Instant.now();
        assertThat(LogsCommand.since("10m")).isBetween(before.minusSeconds(600), java.time.Instant.now().minusSeconds(600));
        assertThat(LogsCommand.since("2026-12-03T21:00:00Z")).isEqualTo(java.time.Instant.parse("2026-12-03T21:00:00Z"));
    }

    @Test
    void anAwsTargetRefusesTheForegroundAndSaysWhenAwsCannotBeReached() throws IOException {
        Path aws = InlineManifest.file(tmp, "aws.yml", "provider: aws\nregion: eu-west-1\n");
        assertThat(run("up", "-f", POLLS, "-e", aws.toString(), "--foreground")).isEqualTo(2);
        assertThat(err.toString()).contains("--foreground is for the local target");

        // Credentials as system properties, the first link of the SDK's chain, whatever this machine has.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            err.getBuffer().setLength(0);
            assertThat(run("status", "-f", POLLS, "-e", aws.toString(), "--endpoint-url", "http://127.0.0.1:1"))
                    .isEqualTo(1);
            assertThat(err.toString()).contains("i2kit: AWS region eu-west-1, endpoint http://127.0.0.1:1",
                    "error: cannot reach http://127.0.0.1:1").doesNotContain("\tat ", "testing");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }

        err.getBuffer().setLength(0);
        assertThat(run("status", "-f", POLLS, "-e", aws.toString(), "--endpoint-url", "ftp://x")).isEqualTo(1);
        assertThat(err.toString()).contains("AWS endpoint URL \"ftp://x\" is not an http(s) URL");
    }

    @Test
    void secretCommandsCheckTheNameFirstAndAwsNeedsCredentials() throws IOException {
        assertThat(run("secret", "set", "-f", POLLS, ".hidden")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: \".hidden\" is not a valid secret name; expected 1 to 128 letters, "
                + "digits, '_', '-' and '.', not starting with '.'\n");
        err.getBuffer().setLength(0);
        assertThat(run("secret", "rm", "-f", POLLS, "a/b")).isEqualTo(2);
        assertThat(err.toString()).contains("\"a/b\" is not a valid secret name");

        Path aws = InlineManifest.file(tmp, "aws.yml", "provider: aws\nregion: eu-west-1\n");
        err.getBuffer().setLength(0);
        assertThat(run("secret", "list", "-f", POLLS, "-e", aws.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: no AWS credentials found");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aSecretsValueLosesOneTrailingNewlineOnly() {
        assertThat(SecretSetCommand.fromStdin(new java.io.ByteArrayInputStream("v\n\n".getBytes()))).isEqualTo("v\n".getBytes());
        assertThat(SecretSetCommand.fromStdin(new java.io.ByteArrayInputStream("v\r\n".getBytes()))).isEqualTo("v\r".getBytes());
        assertThat(SecretSetCommand.fromStdin(new java.io.ByteArrayInputStream("v".getBytes()))).isEqualTo("v".getBytes());
        assertThat(SecretSetCommand.fromStdin(new java.io.ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : new String[] {"validate", "render", "lock", "build", "up", "plan", "status", "logs", "down"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("Usage: i2kit " + command, "Examples:", "-f, --file=FILE");
        }
        for (String[] command : new String[][] {{"cache", "--help"}, {"cache", "prune", "--help"}, {"secret", "--help"},
                {"secret", "set", "--help"}, {"secret", "list", "--help"}, {"secret", "rm", "--help"}}) {
            out.getBuffer().setLength(0);
            assertThat(run(command)).isZero();
            assertThat(out.toString()).as(String.join(" ", command)).contains("Usage: i2kit " + command[0], "Examples:");
        }
    }

    @Test
    void lockFailsClearlyWhenAnImageIsMissing() throws IOException {
        Path app = InlineManifest.app(tmp.resolve("app"), "name: web\nservices:\n  web:\n    containers:\n"
                + "      httpd:\n        image: oci:../images/web:latest\n");
        assertThat(run("lock", "-f", app.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: cannot resolve ")
                .contains("\n  oci:../images/web:latest: cannot resolve oci:../images/web:latest: ",
                        "is not an OCI image layout (no index.json)");
        assertThat(app.resolve("i2kit.lock")).exists();
    }

    @Test
    void bootstrapHasHelpWithExamples() {
        assertThat(run("bootstrap", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: i2kit bootstrap", "-f, --file=APP", "--examples", "Examples:",
                "i2kit.local/kernel:bookworm", "apt-get update");
    }
}
