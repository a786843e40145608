package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.cloudformation.LogicalIds;
import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.event.Event;
import io.i2kit.event.Events;
import io.i2kit.manifest.Service;
import io.i2kit.oci.Digest;
import io.i2kit.manifest.Target;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Release;
import io.i2kit.provider.Reports;
import io.i2kit.provider.aws.stack.StackTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The AWS target: each service's image becomes an AMI (made on the fly from its raw-efi disk,
 * reused when one with its digest exists), then the environment stack and the service stacks are
 * deployed through change sets ({@link AwsOperations}). Credentials are checked before anything
 * is built, and before every operation.
 */
public final class AwsProvider implements Provider {
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(10);

    private final AwsContext context;
    private final StackTimings timings;

    public AwsProvider(AwsContext context, StackTimings timings) {
        this.context = context;
        this.timings = timings;
    }

    /** The provider for an environment file's region, or {@code endpointUrl} (an emulator); says which. */
    public static AwsProvider of(Target target, Optional<String> endpointUrl, Events events) {
        AwsContext context = AwsContext.resolve(target.region(), endpointUrl, System.getenv());
        events.emit(Event.Note.info(Event.Phase.DEPLOY, "AWS region " + context.region().id()
                + context.endpoint().map(e -> ", endpoint " + e).orElse("")));
        return new AwsProvider(context, StackTimings.DEFAULTS);
    }

    /**
     * The secret store of {@code application} on AWS (SSM Parameter Store {@code /i2kit/<app>/}),
     * in the environment file's region or at {@code endpointUrl}; for {@code i2kit secret} and for
     * the versions {@code up} deploys.
     */
    public static SsmSecretStore secrets(Target target, Optional<String> endpointUrl, String application) {
        return SsmSecretStore.of(AwsContext.resolve(target.region(), endpointUrl, System.getenv()), application);
    }

    @Override
    public Needs needs() {
        return new Needs(true);
    }

    @Override
    public void check(Release release, Optional<UpOptions> up, Events events) {
        if (up.isPresent() && up.get().foreground()) {
            throw new InvalidInputException("--foreground is for the local target; on AWS nothing of i2kit keeps running");
        }
        context.requireCredentials();
    }

    @Override
    public Reports.Plan plan(Release release, Events events) {
        AwsPlan plan = operations(events, DEFAULT_HEALTH_TIMEOUT).plan(awsRelease(release));
        List<Reports.Change> changes = new ArrayList<>();
        plan.images().forEach(i -> changes.add(new Reports.Change(i.imageId().isPresent() ? "reuse" : "upload",
                i.service(), i.imageId().orElse("new AMI from " + Digest.shortForm(i.digest())))));
        plan.stacks().forEach(s -> changes.add(new Reports.Change(s.action(), s.stack(),
                s.note().isEmpty() ? "" : "(" + s.note() + ")", s.changes().stream()
                .map(c -> new Reports.Change(c.action(), c.logicalId(), c.type()
                        + (c.replacement().isEmpty() || c.replacement().equals("False") ? ""
                        : " replacement: " + c.replacement()))).toList())));
        return new Reports.Plan(changes, plan);
    }

    @Override
    public Reports.Deployment up(Release release, UpOptions options, Events events) {
        AwsDeployment deployment = operations(events, options.healthTimeout()).up(awsRelease(release));
        List<Reports.Change> changes = new ArrayList<>();
        deployment.images().forEach(i -> changes.add(new Reports.Change(i.imageId(), i.service(), i.reused()
                ? "(reused: an AMI with this image digest exists)" : "(made from " + Digest.shortForm(i.digest()) + ")")));
        deployment.stacks().forEach(s -> changes.add(new Reports.Change(s.action(), s.stack(), "")));
        return new Reports.Deployment(changes, AwsReports.status(deployment.status()), deployment);
    }

    @Override
    public Reports.Status status(String application, Events events) {
        return AwsReports.status(operations(events, DEFAULT_HEALTH_TIMEOUT).status(application));
    }

    /**
     * CloudWatch Logs, where the VMs ship their containers' and init's lines. {@code --container
     * console} (what a VM's console holds besides its containers' and init's lines): each
     * instance's console output as EC2 last saved it instead, for a VM that never got
     * as far as shipping (EC2 keeps a recent copy, not a live stream: no following there).
     */
    @Override
    public void logs(LogsRequest request, Consumer<Reports.LogLine> lines, Events events) {
        AwsOperations operations = operations(events, DEFAULT_HEALTH_TIMEOUT);
        if (!request.container().filter(Reports.LogLine.CONSOLE::equals).isPresent()) {
            operations.logs(request, lines);
            return;
        }
        if (request.follow()) {
            throw new InvalidInputException("--follow with --container console: EC2 refreshes an instance's "
                    + "console output every few minutes, run logs again");
        }
        for (AwsOperations.ConsoleOutput console : operations.console(request.application(), request.service())) {
            for (String line : console.text().replace("\r", "").split("\n")) {
                lines.accept(new Reports.LogLine(console.instanceId(), Reports.LogLine.CONSOLE, Optional.empty(), line));
            }
        }
    }

    @Override
    public Reports.Removal down(DownRequest request, Events events) {
        AwsRemoval removal = operations(events, DEFAULT_HEALTH_TIMEOUT).down(request.application(), request.keepImages(),
                request.deleteData(), request.finalSnapshot());
        boolean any = !(removal.stacks().isEmpty() && removal.images().isEmpty() && removal.snapshots().isEmpty()
                && removal.keptVolumes().isEmpty() && removal.deletedVolumes().isEmpty());
        List<Reports.Change> removed = new ArrayList<>(List.of(
                new Reports.Change("deleted", removal.stacks().size() + " stacks", ""),
                new Reports.Change("deregistered", removal.images().size() + " AMIs", ""),
                new Reports.Change("deleted", removal.snapshots().size() + " snapshots", "")));
        for (AwsRemoval.DataVolume v : removal.deletedVolumes()) {
            String snapshot = v.finalSnapshot().map(snap -> "final snapshot " + snap).orElse("no final snapshot");
            events.emit(Event.Note.info(Event.Phase.DEPLOY, "deleted volume " + volumeSubject(v) + " (" + snapshot + ")"));
            removed.add(new Reports.Change("deleted volume", volumeSubject(v), "(" + snapshot + ")"));
        }
        for (AwsRemoval.DataVolume v : removal.keptVolumes()) {
            events.emit(Event.Note.info(Event.Phase.DEPLOY, "kept volume " + volumeSubject(v)));
        }
        if (!removal.keptVolumes().isEmpty()) {
            events.emit(Event.Note.info(Event.Phase.DEPLOY, "the volumes keep the data; i2kit down --delete-data "
                    + "snapshots and deletes them (--no-final-snapshot: without a snapshot)"));
        }
        return new Reports.Removal(request.application(), any, any ? removed : List.of(), removal);
    }

    /** {@code vol-0abc db/1 data 20 GiB eu-west-1a}. */
    private static String volumeSubject(AwsRemoval.DataVolume v) {
        return v.id() + " " + v.service() + "/" + v.replica() + " " + v.volume() + " " + v.sizeGiB() + " GiB " + v.zone();
    }

    private AwsOperations operations(Events events, Duration healthTimeout) {
        context.requireCredentials();
        return new AwsOperations(context, events, timings, healthTimeout);
    }

    /** The release as the AWS operations take it: per service, its stack's template and its raw-efi disk. */
    static AwsRelease awsRelease(Release release) {
        String application = release.application();
        List<AwsRelease.ServiceRelease> services = new ArrayList<>();
        for (Service service : release.discovery().application().services()) {
            BuiltImage image = release.image(service.name());
            services.add(new AwsRelease.ServiceRelease(service.name(),
                    template(release.templates(), CloudFormationRenderer.serviceStackName(application, service.name())),
                    image.digest(), image.efi().orElseThrow(() ->
                            new I2kitException("the build of " + service.name() + " has no raw-efi disk")),
                    LogicalIds.secretVersionParameters(service), LogicalIds.keptVolumeParameters(service),
                    LogicalIds.publicZone(service, release.target()),
                    LogicalIds.certificateZone(service, release.target()).isPresent()));
        }
        return new AwsRelease(application,
                template(release.templates(), CloudFormationRenderer.environmentStackName(application)), services);
    }

    private static RenderedTemplate template(List<RenderedTemplate> templates, String stackName) {
        return templates.stream().filter(t -> t.stackName().equals(stackName)).findFirst().orElseThrow();
    }
}
