package io.i2kit.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every template i2kit renders passes cfn-lint (set up by {@code scripts/setup-cfn-lint}): the
 * repository's examples, the fixtures with and without a given VPC, and a generated application of
 * 60 services. A broken template must be rejected, so this test can fail.
 */
class CfnLintIT {
    private static CfnLint lint;

    @TempDir
    Path dir;

    @BeforeAll
    static void locate() {
        lint = CfnLint.locate();
    }

    @Test
    void everyRenderedTemplatePasses() throws Exception {
        List<Fixtures.Case> cases = new ArrayList<>(Fixtures.allCases(dir));
        cases.addAll(examples());
        List<Path> files = new ArrayList<>();
        for (Fixtures.Case c : cases) {
            for (RenderedTemplate t : c.render()) {
                Path file = dir.resolve("rendered").resolve(c.name()).resolve(t.fileName());
                Fixtures.write(file, t.json());
                files.add(file);
            }
        }
        List<CfnLint.Result> failures = new ArrayList<>();
        for (CfnLint.Result result : validateAll(files)) {
            if (!result.passes()) {
                failures.add(result);
            }
        }
        assertThat(files).hasSizeGreaterThan(130);
        assertThat(failures).as("templates cfn-lint rejects or warns about").isEmpty();
    }

    @Test
    void brokenTemplatesAreRejected() {
        JsonNode web = Fixtures.parse(Fixtures.goldenCases().get(0).render().stream()
                .filter(t -> t.fileName().equals("service-web.json")).findFirst().orElseThrow());

        ObjectNode unknownProperty = web.deepCopy();
        ((ObjectNode) unknownProperty.at("/Resources/LaunchTemplate/Properties/LaunchTemplateData/MetadataOptions"))
                .put("HttpTokenz", "required");
        assertRejected(unknownProperty, "unknown-property.json", "HttpTokenz is not a valid property");

        ObjectNode badAttribute = web.deepCopy();
        ((ArrayNode) badAttribute.at("/Resources/PrivateRecord/Properties/ResourceRecords/0/Fn::GetAtt")).set(1, "DnsName");
        assertRejected(badAttribute, "bad-attribute.json", "No such attribute DnsName");

        ObjectNode danglingRef = web.deepCopy();
        ((ObjectNode) danglingRef.at("/Resources/ScalingGroup/Properties/TargetGroupARNs/0")).put("Ref", "TargetGroupHttp1");
        assertRejected(danglingRef, "dangling-ref.json", "Referenced value TargetGroupHttp1 does not exist");
    }

    /** Cross-checks the unit test's list of taggable types against the specification cfn-lint uses. */
    @Test
    void everyResourceTheSpecificationCanTagIsTagged() throws Exception {
        JsonNode types = Fixtures.JSON.readTree(lint.specification().toFile()).path("ResourceTypes");
        assertThat(types.size()).isGreaterThan(500);
        for (Fixtures.Case c : Fixtures.goldenCases()) {
            for (RenderedTemplate t : c.render()) {
                Fixtures.parse(t).path("Resources").fields().forEachRemaining(e -> {
                    String type = e.getValue().path("Type").asText();
                    JsonNode specProperties = types.path(type).path("Properties");
                    assertThat(specProperties.isObject()).as("%s is in the specification", type).isTrue();
                    for (String tagProperty : List.of("Tags", "HostedZoneTags", "TagSpecifications")) {
                        if (specProperties.has(tagProperty)) {
                            assertThat(e.getValue().path("Properties").has(tagProperty))
                                    .as("%s/%s %s (%s)", c.name(), t.fileName(), e.getKey(), tagProperty).isTrue();
                        }
                    }
                });
            }
        }
    }

    private void assertRejected(JsonNode template, String name, String expectedMessage) {
        Path file = dir.resolve("broken").resolve(name);
        Fixtures.write(file, template.toPrettyString());
        CfnLint.Result result = lint.validate(file);
        assertThat(result.passes()).as(result.toString()).isFalse();
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.output()).contains(expectedMessage);
    }

    /** Whatever {@code examples/<name>/i2kit.yml} the repository holds, for both kinds of network. */
    private static List<Fixtures.Case> examples() throws IOException {
        Path examples = Path.of("examples");
        List<Fixtures.Case> cases = new ArrayList<>();
        if (!Files.isDirectory(examples)) {
            return cases;
        }
        try (Stream<Path> dirs = Files.list(examples)) {
            for (Path manifest : dirs.map(d -> d.resolve("i2kit.yml")).filter(Files::isRegularFile).sorted().toList()) {
                String name = "example-" + manifest.getParent().getFileName();
                cases.add(new Fixtures.Case(name, manifest, Fixtures.NEW_VPC));
                cases.add(new Fixtures.Case(name + "-given-vpc", manifest, Fixtures.GIVEN_VPC));
            }
        }
        return cases;
    }

    /** cfn-lint takes about a second per file, mostly starting node; a few run at once. */
    private static List<CfnLint.Result> validateAll(List<Path> files) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<CfnLint.Result>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> lint.validate(file)));
            }
            List<CfnLint.Result> results = new ArrayList<>();
            for (Future<CfnLint.Result> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
