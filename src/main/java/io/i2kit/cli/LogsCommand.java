package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.manifest.Container;
import io.i2kit.manifest.Durations;
import io.i2kit.manifest.Service;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Reports;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Shows what a service's containers and its VMs' init wrote, as a console shows it: "
                + "[VM] [CONTAINER] line for a container's, [VM] i2kit: ... for the init's.",
                "Locally: the VMs' consoles, split by container. --since starts at marks the supervisor "
                        + "notes every few seconds (console lines carry no time): it may show a few seconds "
                        + "more, never less.",
                "On AWS (-e naming provider: aws): CloudWatch Logs, log group /i2kit/APP/SERVICE, one stream "
                        + "per instance and container; lines outlive the instance that wrote them, for "
                        + "the manifest's logs.retention_days."},
        footerHeading = "%nExamples:%n", footer = {"  i2kit logs -f examples/polls vote",
                "  i2kit logs -f examples/polls vote --follow --container vote",
                "  i2kit logs -f examples/polls -e examples/polls/aws.yml vote --since 10m"})
final class LogsCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Parameters(paramLabel = "SERVICE", description = "The service whose logs to show.")
    String service;
    @Option(names = "--follow", description = "Keep printing new lines until interrupted.")
    boolean follow;
    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only lines written since then: a duration back from now (30s, 10m, 2h) or an "
                    + "ISO-8601 instant (2026-12-03T21:00:00Z). Default: everything kept.")
    String since;
    @Option(names = "--container", paramLabel = "NAME",
            description = "Only this container's lines; init for the init's own; console for the rest of a "
                    + "VM's console (on AWS: each instance's console output as EC2 last saved it).")
    String container;
    @Mixin
    AwsOptions aws;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        Optional<Instant> from = Optional.ofNullable(since).map(LogsCommand::since);
        loaded.manifest().application().service(service).ifPresent(s -> checkContainer(s, container));
        EventRenderer events = EventRenderer.forStderr(spec.commandLine().getErr(), null);
        var out = spec.commandLine().getOut();
        Providers.of(loaded.target(), aws, events).logs(new Provider.LogsRequest(
                loaded.manifest().application().name(), service, follow, from, Optional.ofNullable(container)), line -> {
                    out.println(line.display());
                    out.flush();
                }, events);
    }

    static Instant since(String text) {
        Optional<java.time.Duration> back = Durations.parse(text);
        if (back.isPresent()) {
            return Instant.now().minus(back.get());
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("--since " + text + ": neither a duration (30s, 10m, 2h) nor an ISO-8601 "
                    + "instant such as 2026-12-03T21:00:00Z");
        }
    }

    private static void checkContainer(Service service, String name) {
        if (name == null) {
            return;
        }
        List<String> known = new ArrayList<>(service.containers().stream().map(Container::name).toList());
        known.add(Reports.LogLine.INIT);
        known.add(Reports.LogLine.CONSOLE);
        if (!known.contains(name)) {
            throw new InvalidInputException("--container " + name + ": service " + service.name()
                    + " has no such container; one of: " + String.join(", ", known));
        }
    }
}
