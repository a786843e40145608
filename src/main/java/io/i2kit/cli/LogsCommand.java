package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.AwsProvider;
import io.i2kit.provider.local.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Shows the console output of a service's VMs, each line prefixed with its VM.",
                "On AWS (-e naming provider: aws): each instance's console output as EC2 last saved it."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit logs -f examples/polls vote", "  i2kit logs -f examples/polls vote --follow",
                "  i2kit logs -f examples/polls -e examples/polls/aws.yml vote"})
final class LogsCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Parameters(paramLabel = "SERVICE", description = "The service whose VMs to show.")
    String service;
    @Option(names = "--follow", description = "Keep printing new output until interrupted.")
    boolean follow;
    @Mixin
    AwsOptions aws;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (app.environment != null) {
            Pipeline.Loaded loaded = app.load();
            if (AwsTarget.isAws(loaded)) {
                awsConsole(loaded);
                return;
            }
        }
        Status status = RunningApplication.status(app);
        Status.ServiceStatus s = status.services().stream().filter(x -> x.name().equals(service)).findFirst()
                .orElseThrow(() -> new io.i2kit.InvalidInputException("no service \"" + service + "\" in "
                        + status.application()));
        var out = spec.commandLine().getOut();
        Map<String, Long> offsets = new HashMap<>();
        do {
            for (Status.ReplicaStatus r : s.running()) {
                offsets.put(r.id(), print(out, r.id(), Path.of(r.workDir(), "console.log"), offsets.getOrDefault(r.id(), 0L)));
            }
            out.flush();
            if (follow) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } while (follow);
    }

    /** EC2 keeps a recent copy of each instance's console, not a live stream: no --follow there. */
    private void awsConsole(Pipeline.Loaded loaded) {
        if (follow) {
            throw new InvalidInputException("--follow is for the local target; on AWS, EC2 refreshes an instance's "
                    + "console output every few minutes: run logs again");
        }
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        for (AwsProvider.ConsoleOutput console : AwsTarget.provider(loaded.target(), aws, err,
                ProgressPrinter.forStderr(err)).console(loaded.manifest().application().name(), service)) {
            for (String line : console.text().replace("\r", "").split("\n")) {
                out.println("[" + console.instanceId() + "] " + line);
            }
        }
        out.flush();
    }

    /**
     * Prints the whole lines after {@code from} and returns the offset after them. A file shorter
     * than {@code from} was capped by the supervisor (rotated to console.log.1): read it from the start.
     */
    private static long print(java.io.PrintWriter out, String id, Path console, long from) {
        try (RandomAccessFile file = new RandomAccessFile(console.toFile(), "r")) {
            long start = from > file.length() ? 0 : from;
            file.seek(start);
            byte[] rest = new byte[(int) (file.length() - start)];
            file.readFully(rest);
            int end = rest.length - 1;
            while (end >= 0 && rest[end] != '\n') {
                end--;
            }
            if (end < 0) {
                return start;
            }
            String text = new String(rest, 0, end, StandardCharsets.UTF_8).replace("\r", "");
            for (String line : text.split("\n", -1)) {
                out.println("[" + id + "] " + line);
            }
            return start + end + 1;
        } catch (IOException e) {
            return from;
        }
    }
}
