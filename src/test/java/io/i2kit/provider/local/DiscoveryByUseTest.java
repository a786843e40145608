package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.event.Progress;
import io.i2kit.image.Compression;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageReference;
import io.i2kit.oci.ImageSource;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.manifest.Target;
import io.i2kit.manifest.TargetReader;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.testing.InlineManifest;
import io.i2kit.testing.StoreImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a service nobody uses to examples/polls rebuilds and replaces nothing else: every image is
 * built for real (LinuxKit YAML through the build cache, assembler and initrd writer to the image
 * digest) from stand-in base packages and container images, digest by digest; the local plan
 * compares what up would ask the supervisor for, and on AWS no other stack's template changes. Only
 * a service that starts using the new one changes.
 */
class DiscoveryByUseTest {
    private static final String AUDIT = """

              audit:
                containers:
                  audit:
                    image: oci:../images/audit/oci:latest
                    ports:
                      - tcp:7000
            """;

    @TempDir
    Path tmp;
    I2kitHome home;
    String polls;

    @BeforeEach
    void setUp() throws IOException {
        home = new I2kitHome(tmp.resolve("home"));
        polls = Files.readString(Path.of("examples/polls/i2kit.yml"));
        assertThat(polls).contains("\n  worker:\n", "    uses: [queue]\n");
    }

    /** audit goes between queue and worker, not at the end: its place in the manifest shifts nothing either. */
    private String withAudit() {
        return polls.replace("\n  worker:\n", AUDIT + "\n  worker:\n");
    }

    private Discovery validate(String name, String manifest) {
        Path dir = InlineManifest.app(tmp.resolve(name), manifest);
        return Pipeline.validate(Pipeline.load(dir, Optional.empty()));
    }

    private Map<String, BuiltImage> build(Discovery discovery) {
        ApplicationBuilder builder = new ApplicationBuilder(home, new ImageSources(List.of(new StandIns(home))),
                Progress.NONE);
        Map<String, BuiltImage> images = new LinkedHashMap<>();
        builder.build(discovery, new LockFile(Map.of()), new ApplicationBuilder.Options(Compression.GZIP, false, Set.of()))
                .images().forEach(i -> images.put(i.service(), i));
        return images;
    }

    private static Map<String, Digest> digests(Map<String, BuiltImage> images) {
        Map<String, Digest> digests = new LinkedHashMap<>();
        images.forEach((service, image) -> digests.put(service, image.digest()));
        return digests;
    }

    @Test
    void aServiceNobodyUsesChangesNoOtherImageAndOnlyItsUserChangesWhenOneStarts() {
        Map<String, Digest> before = digests(build(validate("before", polls)));
        Map<String, Digest> added = digests(build(validate("added", withAudit())));
        Map<String, Digest> used = digests(build(validate("used",
                withAudit().replace("    uses: [queue]\n", "    uses: [queue, audit]\n"))));

        assertThat(before).containsOnlyKeys("vote", "queue", "worker", "db", "result");
        assertThat(added.keySet()).containsExactly("vote", "queue", "audit", "worker", "db", "result");
        before.forEach((service, digest) -> assertThat(added.get(service)).as(service + " after audit is added")
                .isEqualTo(digest));
        assertThat(added.get("audit")).isNotIn(before.values());

        assertThat(used.get("vote")).as("vote now uses audit").isNotEqualTo(added.get("vote"));
        added.forEach((service, digest) -> {
            if (!service.equals("vote")) {
                assertThat(used.get(service)).as(service + " after vote starts using audit").isEqualTo(digest);
            }
        });
    }

    /** The same under the paper's discovery: all, for contrast: every service with ports is announced to every other. */
    @Test
    void underDiscoveryAllTheSameAdditionChangesEveryImage() {
        String all = polls.replace("name: polls\n", "name: polls\ndiscovery: all\n");
        Map<String, Digest> before = digests(build(validate("before", all)));
        Map<String, Digest> added = digests(build(validate("added", all.replace("\n  worker:\n", AUDIT + "\n  worker:\n"))));

        before.forEach((service, digest) -> assertThat(added.get(service)).as(service).isNotEqualTo(digest));
    }

    @Test
    void theLocalPlanReportsEveryOtherServiceUnchanged() {
        LocalProvider provider = new LocalProvider(home);
        Discovery base = validate("before", polls);
        Discovery added = validate("added", withAudit());
        Discovery used = validate("used", withAudit().replace("    uses: [queue]\n", "    uses: [queue, audit]\n"));
        DesiredState running = provider.desired(base, build(base), Accelerator.TCG);
        DesiredState withAudit = provider.desired(added, build(added), Accelerator.TCG);

        assertThat(actions(LocalPlan.of(withAudit, Optional.of(running)))).containsExactly(
                Map.entry("vote", LocalPlan.Action.UNCHANGED), Map.entry("queue", LocalPlan.Action.UNCHANGED),
                Map.entry("audit", LocalPlan.Action.CREATE), Map.entry("worker", LocalPlan.Action.UNCHANGED),
                Map.entry("db", LocalPlan.Action.UNCHANGED), Map.entry("result", LocalPlan.Action.UNCHANGED));
        assertThat(actions(LocalPlan.of(provider.desired(used, build(used), Accelerator.TCG), Optional.of(withAudit))))
                .containsExactly(
                        Map.entry("vote", LocalPlan.Action.UPDATE), Map.entry("queue", LocalPlan.Action.UNCHANGED),
                        Map.entry("audit", LocalPlan.Action.UNCHANGED), Map.entry("worker", LocalPlan.Action.UNCHANGED),
                        Map.entry("db", LocalPlan.Action.UNCHANGED), Map.entry("result", LocalPlan.Action.UNCHANGED));
    }

    /**
     * On AWS a service's stack is touched only when its template or its parameters (the AMI, keyed by
     * the image digest above) change: every other template stays byte for byte the same.
     */
    @Test
    void everyOtherCloudFormationTemplateIsUnchanged() {
        Target aws = TargetReader.read(Path.of("examples/polls/aws.yml"));
        Map<String, String> before = templates(validate("before", polls), aws);
        Map<String, String> added = templates(validate("added", withAudit()), aws);

        assertThat(added.keySet()).containsAll(before.keySet()).contains("service-audit.json");
        before.forEach((file, json) -> assertThat(added.get(file)).as(file).isEqualTo(json));
    }

    private static Map<String, String> templates(Discovery discovery, Target target) {
        Map<String, String> templates = new LinkedHashMap<>();
        Pipeline.renderCloudFormation(discovery, target).forEach(t -> templates.put(t.fileName(), t.json()));
        return templates;
    }

    private static List<Map.Entry<String, LocalPlan.Action>> actions(LocalPlan plan) {
        return plan.changes().stream().map(c -> Map.entry(c.service(), c.action())).toList();
    }

    /**
     * Every reference is served by a small single-layer image of its own, the same bytes for the
     * same reference: a kernel package for the kernel, a file named after the reference otherwise.
     */
    private record StandIns(I2kitHome home) implements ImageSource {
        @Override
        public Optional<Digest> resolve(ImageReference reference) {
            return Optional.of(Digest.of((reference + "#manifest").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                          Progress progress) {
            String name = reference.toString().replaceFirst("@sha256:[0-9a-f]+$", "");
            FileTree tree = new FileTree();
            String file = name.contains("kernel") ? "kernel" : "bin/" + name.replaceAll("[^a-z0-9]+", "-");
            tree.addFile(file, Meta.of(0755), name.getBytes(StandardCharsets.UTF_8));
            return Optional.of(StoreImages.image(home.blobs(), name, tree, List.of("/" + file), Map.of()));
        }
    }
}
