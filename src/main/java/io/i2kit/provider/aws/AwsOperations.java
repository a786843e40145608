package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import io.i2kit.cloudformation.LogicalIds;
import io.i2kit.event.Event;
import io.i2kit.event.Events;
import io.i2kit.event.Progress;
import io.i2kit.provider.aws.AwsRelease.ServiceRelease;
import io.i2kit.provider.aws.ami.AmiPublisher;
import io.i2kit.provider.aws.ami.AmiRemover;
import io.i2kit.provider.aws.ami.AmiRequest;
import io.i2kit.provider.aws.ami.PublishedAmi;
import io.i2kit.provider.aws.ami.RemovedAmis;
import io.i2kit.provider.aws.stack.StackDeployer;
import io.i2kit.provider.aws.stack.StackPlan;
import io.i2kit.provider.aws.stack.StackPlanner;
import io.i2kit.provider.aws.stack.StackProgress;
import io.i2kit.provider.aws.stack.StackRemover;
import io.i2kit.provider.aws.stack.StackRequest;
import io.i2kit.provider.aws.stack.StackResult;
import io.i2kit.provider.aws.stack.StackTimings;
import io.i2kit.manifest.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The AWS provider: each service's image becomes an AMI (made on the fly from its raw-efi disk,
 * reused when one with its digest exists), then the environment stack and the service stacks are
 * deployed through change sets. Service stacks depend only on the environment's exports, so they
 * deploy in parallel; a stack whose template and parameters did not change is not touched.
 * Reports through {@code events}: uploads as tasks, one note per stack event; never prints.
 */
final class AwsOperations {
    private final AwsContext context;
    private final Events events;
    private final Progress progress;
    private final Consumer<String> log;
    private final StackTimings timings;
    private final Duration healthTimeout;
    private final CloudFormationClient cloudFormation;
    private final AutoScalingClient autoScaling;
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client loadBalancing;
    private final PublicZones publicZones;
    private final CloudWatchLogsClient logs;

    /** @param healthTimeout how long a deployed service's instances have to pass the load balancer's checks */
    AwsOperations(AwsContext context, Events events, StackTimings timings, Duration healthTimeout) {
        this.context = context;
        this.events = events;
        this.progress = events.progress();
        this.log = line -> events.emit(Event.Note.ofLine(Event.Phase.DEPLOY, line));
        this.timings = timings;
        this.healthTimeout = healthTimeout;
        this.cloudFormation = context.client(CloudFormationClient.builder());
        this.autoScaling = context.client(AutoScalingClient.builder());
        this.ec2 = context.client(Ec2Client.builder());
        this.loadBalancing = context.client(ElasticLoadBalancingV2Client.builder());
        this.publicZones = new PublicZones(context.client(Route53Client.builder()));
        this.logs = context.client(CloudWatchLogsClient.builder());
    }

    /** AMIs, then the environment stack, then the service stacks; removed services' stacks are deleted. */
    public AwsDeployment up(AwsRelease release) {
        return AwsErrors.translate(context, () -> {
            // A public zone that does not exist stops up before anything is uploaded or deployed.
            release.services().forEach(s -> s.publicZone().ifPresent(publicZones::idOf));
            List<AwsDeployment.Image> images = publish(release);
            Map<String, String> imageIds = images.stream()
                    .collect(Collectors.toMap(AwsDeployment.Image::service, AwsDeployment.Image::imageId));
            List<AwsDeployment.StackOutcome> outcomes = new ArrayList<>();
            StackDeployer deployer = new StackDeployer(cloudFormation, timings);
            StackParameters parameters = parameters(release);
            Map<String, String> secretVersions = parameters.secretVersions(release.services());
            StackResult environment = deployer.deploy(environmentRequest(release, parameters), this::report);
            outcomes.add(outcome(environment));
            List<StackRequest> services = new ArrayList<>();
            Map<String, ApplicationStacks.Found> deployed = deployedServices(release.application());
            List<String> zones = subnetZones(release);
            CurrentCapacity capacity = new CurrentCapacity(cloudFormation, autoScaling);
            for (ServiceRelease s : release.services()) {
                services.add(serviceRequest(release, s, imageIds.get(s.service()), secretVersions)
                        .withParameters(parameters.keptVolumes(release.application(), s, deployedParameters(deployed, s), zones))
                        .withParameters(capacity.parameter(s.template().json(), Optional.ofNullable(deployed.get(s.service())))));
            }
            HealthWaiter health = new HealthWaiter(cloudFormation, autoScaling, loadBalancing, healthTimeout);
            StackRollout rollout = new StackRollout(stacks(deployer, health), new ParallelStacks(log), log);
            try {
                rollout.deploy(services).forEach(r -> outcomes.add(outcome(r)));
            } catch (I2kitException e) {
                if (environment.action() == StackResult.Action.UNCHANGED) {
                    throw e;
                }
                throw new I2kitException(e.getMessage() + "\n  (the environment stack " + environment.stackName() + " was "
                        + outcome(environment).action() + " by this up and is left so: every service stack imports from it)", e);
            }
            outcomes.addAll(removeDropped(release));
            return new AwsDeployment(images, outcomes, status(release.application()));
        });
    }

    /** What up would do: which AMIs exist, and every stack's change set (deleted again). Uploads nothing. */
    public AwsPlan plan(AwsRelease release) {
        return AwsErrors.translate(context, () -> {
            release.services().forEach(s -> s.publicZone().ifPresent(publicZones::idOf));
            List<AwsPlan.ImagePlan> images = new ArrayList<>();
            StackPlanner planner = new StackPlanner(cloudFormation, timings);
            StackParameters parameters = parameters(release);
            Map<String, String> secretVersions = parameters.plannedSecretVersions(release.services());
            StackRequest environment = environmentRequest(release, parameters);
            List<StackRequest> viaChangeSets = new ArrayList<>(List.of(environment));
            Map<String, StackPlan> fromTemplates = new LinkedHashMap<>();
            Map<String, ApplicationStacks.Found> deployed = deployedServices(release.application());
            List<String> zones = subnetZones(release);
            try (AmiPublisher publisher = new AmiPublisher(context)) {
                for (ServiceRelease s : release.services()) {
                    Optional<String> ami = publisher.existing(amiRequest(release, s));
                    images.add(new AwsPlan.ImagePlan(s.service(), s.digest().toString(), ami));
                    // Without its AMI a new stack has no valid ImageId yet, and an existing one keeps its own
                    // until up: its change set then shows what the new digest changes.
                    Optional<String> imageId = ami.or(() -> Optional.ofNullable(deployed.get(s.service()))
                            .flatMap(f -> parameter(f, ApplicationStacks.IMAGE_ID)));
                    StackRequest request = serviceRequest(release, s, imageId.orElse(""), secretVersions)
                            .withParameters(parameters.keptVolumes(release.application(), s, deployedParameters(deployed, s),
                                    zones))
                            .withParameters(new CurrentCapacity(cloudFormation, autoScaling).parameter(s.template().json(),
                                    Optional.ofNullable(deployed.get(s.service()))));
                    if (imageId.isPresent()) {
                        viaChangeSets.add(request);
                    } else {
                        fromTemplates.put(s.service(), planner.planCreation(request, "its AMI, made by up"));
                    }
                }
            }
            List<AwsPlan.StackPlan> stacks = new ArrayList<>();
            Set<String> stateful = release.services().stream().filter(ServiceRelease::stateful)
                    .map(s -> s.template().stackName()).collect(Collectors.toSet());
            for (StackPlan p : planner.plan(viaChangeSets, this::report)) {
                stacks.add(PlanView.of(p, stateful.contains(p.stackName())));
            }
            fromTemplates.values().forEach(p -> stacks.add(PlanView.of(p, false)));
            Set<String> wanted = release.services().stream().map(ServiceRelease::service).collect(Collectors.toSet());
            deployed.forEach((service, found) -> {
                if (!wanted.contains(service)) {
                    stacks.add(new AwsPlan.StackPlan(found.name(), "delete", "no longer in the manifest", List.of()));
                }
            });
            return new AwsPlan(images, stacks);
        });
    }

    /** Reads what runs of the application: its stacks, instances and endpoints. */
    public AwsStatus status(String application) {
        return AwsErrors.translate(context,
                () -> new StatusReader(cloudFormation, autoScaling).read(application, context.region().id()));
    }

    /**
     * The console output of a service's instances, as EC2 keeps it (the most recent 64 KiB, refreshed
     * by EC2 every few minutes, not live): what the image's init and the containers printed.
     */
    public List<ConsoleOutput> console(String application, String service) {
        return AwsErrors.translate(context, () -> {
            AwsStatus status = status(application);
            AwsStatus.ServiceState state = status.services().stream().filter(s -> s.name().equals(service)).findFirst()
                    .orElseThrow(() -> new I2kitException("no service \"" + service + "\" of " + application
                            + " is deployed on AWS in " + status.region()));
            List<ConsoleOutput> outputs = new ArrayList<>();
            for (AwsStatus.Instance instance : state.instances()) {
                String encoded = ec2.getConsoleOutput(r -> r.instanceId(instance.id()).latest(true)).output();
                String text = encoded == null ? ""
                        : new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
                outputs.add(new ConsoleOutput(instance.id(), text));
            }
            return List.copyOf(outputs);
        });
    }

    /** The service's lines in CloudWatch Logs ({@link LogReader}); with {@code follow}, until interrupted. */
    public void logs(io.i2kit.provider.Provider.LogsRequest request, Consumer<io.i2kit.provider.Reports.LogLine> lines) {
        AwsErrors.translate(context, () -> {
            new LogReader(logs, Duration.ofSeconds(2), java.time.Clock.systemUTC()).read(
                    LogicalIds.logGroupName(request.application(), request.service()), request, lines);
            return null;
        });
    }

    /** One instance's console output. */
    public record ConsoleOutput(String instanceId, String text) {
    }

    /**
     * Service stacks (in parallel), then the environment stack, then the data volumes (kept and
     * listed, or deleted with {@code deleteData}), then the AMIs and snapshots unless kept.
     */
    public AwsRemoval down(String application, boolean keepImages, boolean deleteData, boolean finalSnapshot) {
        return AwsErrors.translate(context, () -> {
            List<ApplicationStacks.Found> stacks = ApplicationStacks.of(cloudFormation, application);
            StackRemover remover = new StackRemover(cloudFormation, timings);
            List<String> deleted = new ArrayList<>(new ParallelStacks(log).run(
                    stacks.stream().filter(f -> f.service().isPresent()).map(ApplicationStacks.Found::name).toList(),
                    name -> {
                        remover.delete(name, this::report);
                        return name;
                    }));
            for (ApplicationStacks.Found f : stacks) {
                if (f.service().isEmpty()) {
                    remover.delete(f.name(), this::report);
                    deleted.add(f.name());
                }
            }
            DataVolumes data = new DataVolumes(ec2, timings.timeout());
            List<AwsRemoval.DataVolume> volumes = data.find(application);
            List<AwsRemoval.DataVolume> kept = deleteData ? List.of() : volumes;
            List<AwsRemoval.DataVolume> deletedVolumes = deleteData ? data.delete(application, volumes, finalSnapshot, log)
                    : List.of();
            if (keepImages) {
                return new AwsRemoval(deleted, List.of(), List.of(), kept, deletedVolumes);
            }
            try (AmiRemover amis = new AmiRemover(context)) {
                RemovedAmis removed = amis.remove(application, Set.of(), progress);
                return new AwsRemoval(deleted, removed.imageIds(), removed.snapshotIds(), kept, deletedVolumes);
            }
        });
    }

    /** The service stacks as {@link StackRollout} deploys, redeploys and deletes them: on CloudFormation. */
    private StackRollout.Stacks stacks(StackDeployer deployer, HealthWaiter health) {
        StackRemover remover = new StackRemover(cloudFormation, timings);
        return new StackRollout.Stacks() {
            @Override
            public StackResult deploy(StackRequest request) {
                return deployService(deployer, health, request);
            }

            @Override
            public void redeploy(StackRequest previous) {
                deployer.deploy(previous, AwsOperations.this::report);
            }

            @Override
            public void delete(String stackName) {
                remover.delete(stackName, AwsOperations.this::report);
            }
        };
    }

    /**
     * One service stack, then a wait for its instances to serve; an update whose instances never
     * do is rolled back by deploying again what ran before (CloudFormation replaces the group back).
     */
    private StackResult deployService(StackDeployer deployer, HealthWaiter health, StackRequest request) {
        java.time.Instant started = java.time.Instant.now();
        StackResult result = deployer.deploy(request, this::report);
        if (result.action() == StackResult.Action.UNCHANGED) {
            return result;
        }
        Optional<String> unhealthy = health.await(request.stackName(), log);
        if (result.action() == StackResult.Action.UPDATED) {
            reportDowntime(request.stackName(), started);
        }
        if (unhealthy.isEmpty()) {
            return result;
        }
        String service = request.tags().getOrDefault(ApplicationStacks.SERVICE_TAG, request.stackName());
        String seen = unhealthy.get() + " after " + Durations.format(healthTimeout);
        String hint = "; its logs: i2kit logs -f MANIFEST -e ENVIRONMENT " + service
                + " (--container console: the instances' consoles, for a VM that never got as far as shipping)";
        if (result.replaced().isPresent()) {
            log.accept("[" + request.stackName() + "] not serving: rolling back to what ran before");
            deployer.deploy(result.replaced().get(), this::report);
            throw new I2kitException("the update of " + service + " was rolled back: " + seen + hint);
        }
        throw new I2kitException("the instances of " + service + " do not serve: " + seen + hint);
    }

    /** Each replica a stop-first rolling update took down, and for how long: what up says of downtime. */
    private void reportDowntime(String stackName, java.time.Instant since) {
        for (DowntimeMeter.Outage o : new DowntimeMeter(cloudFormation, autoScaling).measure(stackName, since)) {
            log.accept("[" + stackName + "] " + o.group() + ": downtime " + Durations.format(o.down())
                    + " (old instance stopping at " + o.stopped() + ", new instance in service after it)");
        }
    }

    private StackParameters parameters(AwsRelease release) {
        boolean secrets = release.services().stream().anyMatch(s -> !s.secretParameters().isEmpty());
        return new StackParameters(ec2, secrets ? SsmSecretStore.of(context, release.application()) : null);
    }

    private List<AwsDeployment.Image> publish(AwsRelease release) {
        List<AwsDeployment.Image> images = new ArrayList<>();
        try (AmiPublisher publisher = new AmiPublisher(context)) {
            for (ServiceRelease s : release.services()) {
                PublishedAmi ami = publisher.publish(amiRequest(release, s), progress);
                images.add(new AwsDeployment.Image(s.service(), s.digest().toString(), ami.imageId(), ami.reused()));
            }
        }
        return images;
    }

    private List<AwsDeployment.StackOutcome> removeDropped(AwsRelease release) {
        Set<String> wanted = release.services().stream().map(ServiceRelease::service).collect(Collectors.toSet());
        StackRemover remover = new StackRemover(cloudFormation, timings);
        List<AwsDeployment.StackOutcome> removed = new ArrayList<>();
        deployedServices(release.application()).forEach((service, found) -> {
            if (!wanted.contains(service)) {
                remover.delete(found.name(), this::report);
                removed.add(new AwsDeployment.StackOutcome(found.name(), "deleted"));
            }
        });
        return removed;
    }

    private Map<String, ApplicationStacks.Found> deployedServices(String application) {
        Map<String, ApplicationStacks.Found> byService = new LinkedHashMap<>();
        ApplicationStacks.of(cloudFormation, application)
                .forEach(f -> f.service().ifPresent(s -> byService.put(s, f)));
        return byService;
    }

    /**
     * The zone of each private subnet, in order, as the environment stack exports them; empty before
     * it does, and without a stateful service (only kept volumes need them), so as not to list exports.
     */
    private List<String> subnetZones(AwsRelease release) {
        if (release.services().stream().noneMatch(ServiceRelease::stateful)) {
            return List.of();
        }
        String prefix = io.i2kit.cloudformation.CloudFormationRenderer.environmentStackName(release.application())
                + "-PrivateSubnetZone";
        Map<Integer, String> zones = new java.util.TreeMap<>();
        cloudFormation.listExportsPaginator().exports().forEach(e -> {
            if (e.name().startsWith(prefix) && e.name().substring(prefix.length()).matches("\\d+")) {
                zones.put(Integer.parseInt(e.name().substring(prefix.length())), e.value());
            }
        });
        return List.copyOf(zones.values());
    }

    private static Optional<Map<String, String>> deployedParameters(Map<String, ApplicationStacks.Found> deployed,
                                                                  ServiceRelease s) {
        return Optional.ofNullable(deployed.get(s.service())).map(ApplicationStacks.Found::parameters);
    }

    private static Optional<String> parameter(ApplicationStacks.Found found, String key) {
        return found.stack().parameters().stream().filter(p -> p.parameterKey().equals(key))
                .map(p -> p.parameterValue()).filter(v -> v != null && !v.isEmpty()).findFirst();
    }

    private static AmiRequest amiRequest(AwsRelease release, ServiceRelease s) {
        return new AmiRequest(s.diskImage(), s.digest(), release.application(), s.service());
    }

    private static StackRequest environmentRequest(AwsRelease release, StackParameters parameters) {
        return StackRequest.of(release.environment().stackName(), release.environment().json(),
                        parameters.subnetZones(release.environment().json()))
                .withTags(ApplicationStacks.tags(release.application(), Optional.empty()));
    }

    private StackRequest serviceRequest(AwsRelease release, ServiceRelease s, String imageId,
                                        Map<String, String> secretVersions) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(ApplicationStacks.IMAGE_ID, imageId);
        parameters.put(ApplicationStacks.IMAGE_DIGEST, s.digest().toString());
        parameters.putAll(StackParameters.forService(s, secretVersions));
        s.publicZone().filter(zone -> s.requestsCertificate())
                .ifPresent(zone -> parameters.put(LogicalIds.PUBLIC_ZONE_ID, publicZones.idOf(zone)));
        return StackRequest.of(s.template().stackName(), s.template().json(), parameters)
                .withTags(ApplicationStacks.tags(release.application(), Optional.of(s.service())))
                .withDependsOn(release.environment().stackName());
    }

    private static AwsDeployment.StackOutcome outcome(StackResult result) {
        return new AwsDeployment.StackOutcome(result.stackName(),
                result.action().name().toLowerCase(java.util.Locale.ROOT));
    }

    private void report(StackProgress event) {
        events.emit(Event.Note.of(Event.Phase.DEPLOY, event.stackName(), event.message()));
    }
}
