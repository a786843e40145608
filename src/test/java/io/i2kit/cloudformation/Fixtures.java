package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.ManifestValidator;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Manifests and targets the CloudFormation tests render, through the real pipeline stages. */
final class Fixtures {
    static final Path MANIFESTS = Path.of("src/test/resources/cloudformation");
    static final Path GOLDEN = Path.of("src/test/resources/golden/cloudformation");
    static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/1c0e5f7a-3b7d-4a36-9a57-2d1a0b6f4c11";

    /** i2kit makes the network; public names in example.com. */
    static final Target NEW_VPC = new Target(Target.Provider.AWS, Optional.of("eu-west-1"), Optional.empty(), List.of(),
            Optional.of("example.com"), Optional.of(CERTIFICATE), Optional.empty());
    /** An existing VPC, no public zone, a key pair for debugging. */
    static final Target GIVEN_VPC = new Target(Target.Provider.AWS, Optional.of("eu-west-1"),
            Optional.of("vpc-0a1b2c3d4e5f60718"), List.of("subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"),
            Optional.empty(), Optional.of(CERTIFICATE), Optional.of("ops"));
    /** No certificate: i2kit requests one per public service in example.com; access logs, deletion protection. */
    static final Target REQUESTED_CERTIFICATES = new Target(Target.Provider.AWS, Optional.of("eu-west-1"), Optional.empty(),
            List.of(), Optional.of("example.com"), Optional.empty(), Optional.empty())
            .withLoadBalancer(new Target.LoadBalancer(Optional.of(new Target.AccessLogs("store-logs", "lb")), true));
    static final Target PLAIN = new Target(Target.Provider.AWS, Optional.of("eu-west-1"), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty());

    static final ObjectMapper JSON = new ObjectMapper();

    /** A manifest rendered for a target; {@code name} names its golden folder. */
    record Case(String name, Path manifest, Target target) {
        List<RenderedTemplate> render() {
            return Fixtures.render(manifest, target);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Fixtures() {
    }

    /** The fixtures with golden files. */
    static List<Case> goldenCases() {
        return List.of(
                new Case("shop", MANIFESTS.resolve("shop/i2kit.yml"), NEW_VPC),
                new Case("shop-given-vpc", MANIFESTS.resolve("shop/i2kit.yml"), GIVEN_VPC),
                new Case("minimal", MANIFESTS.resolve("minimal/i2kit.yml"), PLAIN),
                new Case("minimal-given-vpc", MANIFESTS.resolve("minimal/i2kit.yml"), GIVEN_VPC),
                new Case("stateful", MANIFESTS.resolve("stateful/i2kit.yml"), NEW_VPC.withSnapshotRetainDays(14)),
                new Case("stateful-given-vpc", MANIFESTS.resolve("stateful/i2kit.yml"), GIVEN_VPC),
                new Case("https", MANIFESTS.resolve("https/i2kit.yml"), REQUESTED_CERTIFICATES),
                new Case("https-given-certificate", MANIFESTS.resolve("https/i2kit.yml"), NEW_VPC));
    }

    /** Every fixture, plus the generated 60-service application written under {@code dir}. */
    static List<Case> allCases(Path dir) {
        List<Case> cases = new ArrayList<>(goldenCases());
        Path generated = GeneratedApplication.write(dir, 60);
        cases.add(new Case("generated-60", generated, NEW_VPC));
        cases.add(new Case("generated-60-given-vpc", generated, GIVEN_VPC));
        return cases;
    }

    static Discovery discovery(Path manifestFile, Target target) {
        Manifest manifest = ManifestReader.read(manifestFile);
        Problems problems = new Problems();
        ManifestValidator.validate(manifest.application(), target, manifest.sources(), problems);
        problems.throwIfErrors(manifestFile.toString());
        Discovery discovery = DiscoveryResolver.resolve(manifest.application(), manifest.sources(), problems);
        problems.throwIfErrors(manifestFile.toString());
        return discovery;
    }

    static List<RenderedTemplate> render(Path manifestFile, Target target) {
        return CloudFormationRenderer.render(discovery(manifestFile, target), target);
    }

    static JsonNode parse(RenderedTemplate template) {
        try {
            return JSON.readTree(template.json());
        } catch (IOException e) {
            throw new UncheckedIOException(template.fileName() + " is not JSON", e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
