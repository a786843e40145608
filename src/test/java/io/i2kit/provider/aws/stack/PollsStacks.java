package io.i2kit.provider.aws.stack;

import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.cloudformation.LogicalIds;
import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.discovery.Discovery;
import io.i2kit.pipeline.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;

/**
 * The polls example rendered for AWS ({@code examples/polls} with {@code aws.yml}) as stack
 * requests, the way the provider will make them, for the ITs against moto.
 */
final class PollsStacks {
    static final String ENVIRONMENT = "i2kit-polls";
    static final StackTimings FAST = new StackTimings(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60));

    private final Map<String, RenderedTemplate> templates = new LinkedHashMap<>();
    private final Discovery discovery;

    PollsStacks() {
        this(Path.of("examples/polls"));
    }

    /** {@code directory} holds a variant of the example's i2kit.yml and aws.yml. */
    PollsStacks(Path directory) {
        Pipeline.Loaded loaded = Pipeline.load(directory, Optional.of(directory.resolve("aws.yml")));
        discovery = Pipeline.validate(loaded);
        for (RenderedTemplate t : CloudFormationRenderer.render(discovery, loaded.target())) {
            templates.put(t.stackName(), t);
        }
    }

    /** The example with a service {@code audit} that has a port and that no other service uses, written to {@code dir}. */
    static PollsStacks withAudit(Path dir) throws java.io.IOException {
        String manifest = java.nio.file.Files.readString(Path.of("examples/polls/i2kit.yml"));
        java.nio.file.Files.writeString(dir.resolve("i2kit.yml"), manifest + """

                  audit:
                    containers:
                      audit:
                        image: oci:../images/audit/oci:latest
                        ports:
                          - tcp:7000
                """);
        java.nio.file.Files.copy(Path.of("examples/polls/aws.yml"), dir.resolve("aws.yml"));
        return new PollsStacks(dir);
    }

    /**
     * The example's public zone ({@code public_zone} of its aws.yml), made in the emulator: vote's
     * and result's certificates are validated in it, their alias records live in it. Again after
     * every reset of the emulator.
     */
    static void createPublicZone(software.amazon.awssdk.services.route53.Route53Client route53) {
        publicZoneId = route53.createHostedZone(r -> r.name("polls.example.com").callerReference(
                "polls-" + System.nanoTime())).hostedZone().id().replace("/hostedzone/", "");
    }

    private static String publicZoneId;

    /** A machine image moto accepts as ImageId; its snapshot need not exist. */
    static String registerImage(Ec2Client ec2, String name) {
        return ec2.registerImage(r -> r.name(name).architecture(ArchitectureValues.X86_64).rootDeviceName("/dev/xvda")
                .virtualizationType("hvm")
                .blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.snapshotId("snap-12345678"))))
                .imageId();
    }

    StackRequest environment() {
        return StackRequest.of(ENVIRONMENT, templates.get(ENVIRONMENT).json(), Map.of())
                .withTags(Map.of("i2kit:application", "polls"));
    }

    StackRequest service(String service, String imageId) {
        String name = CloudFormationRenderer.serviceStackName("polls", service);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ImageId", imageId);
        parameters.put("ImageDigest", "sha256:" + imageId);
        // The provider fills these from SSM at deploy time; here each secret is at version 1.
        discovery.application().services().stream().filter(s -> s.name().equals(service)).findFirst().ifPresent(s ->
                LogicalIds.secretVersionParameters(s).keySet().forEach(p -> parameters.put(p, "1")));
        // The provider looks this up in Route 53 for a service whose certificate i2kit requests.
        if (templates.get(name).json().contains("\"" + LogicalIds.PUBLIC_ZONE_ID + "\"")) {
            parameters.put(LogicalIds.PUBLIC_ZONE_ID, java.util.Objects.requireNonNull(publicZoneId,
                    "PollsStacks.createPublicZone first"));
        }
        return StackRequest.of(name, templates.get(name).json(), parameters)
                .withTags(Map.of("i2kit:application", "polls", "i2kit:service", service))
                .withDependsOn(ENVIRONMENT);
    }

    /** The environment first, then every service on the same image. */
    List<StackRequest> all(String imageId) {
        List<StackRequest> requests = new ArrayList<>();
        requests.add(environment());
        for (String name : templates.keySet()) {
            if (!name.equals(ENVIRONMENT)) {
                requests.add(service(name.substring(ENVIRONMENT.length() + 1), imageId));
            }
        }
        return requests;
    }
}
