package io.i2kit.linuxkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.discovery.Discovery;
import io.i2kit.lock.Pins;
import io.i2kit.manifest.PackageProfile;
import io.i2kit.manifest.Service;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.testing.Golden;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class LinuxkitTranslatorTest {
    private static Discovery load(String fixture) {
        return Pipeline.validate(Pipeline.load(Path.of("src/test/resources/manifests/valid", fixture), Optional.empty()));
    }

    private static ContainerTemplate container(LinuxkitTemplate t, String name) {
        return t.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polls", "linuxkit-profile", "explicit"})
    void rendersGoldenYamlForEveryService(String fixture) {
        Discovery d = load(fixture);
        var rendered = Pipeline.render(d, io.i2kit.manifest.Target.LOCAL, Pins.NONE, ImageDefaults.Lookup.OFFLINE);
        rendered.files().stream().filter(f -> f.path().startsWith("linuxkit/")).forEach(f ->
                Golden.assertMatches(Path.of("src/test/resources/golden", "linuxkit", fixture,
                        f.path().substring("linuxkit/".length())), f.text()));
    }

    @Test
    void aContainerThatReadsSecretsGetsTheirNamesAndTheRunSecretsBindNeverAValue(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path app = io.i2kit.testing.InlineManifest.app(dir, """
                name: s
                services:
                  db:
                    containers:
                      db:
                        image: redis:7
                        secrets: {REDIS_PASSWORD: db-password, API: api.key}
                      side:
                        image: redis:7
                """);
        Discovery d = Pipeline.validate(Pipeline.load(app, Optional.empty()));
        LinuxkitTemplate t = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE)
                .translate(d, d.application().service("db").orElseThrow());

        assertThat(container(t, "db").binds().orElseThrow()).contains("/run/i2kit/secrets/db:/run/secrets:ro");
        assertThat(container(t, "side").binds().orElseThrow()).noneMatch(b -> b.contains("secrets"));
        assertThat(t.files()).contains(new LinuxkitTemplate.FileTemplate("etc/i2kit/secrets/db",
                "REDIS_PASSWORD db-password\nAPI api.key\n", "0644"));
        assertThat(t.files()).noneMatch(f -> f.path().endsWith("/side"));
    }

    @Test
    void everyPodContainerGetsDockersDefaultCapabilitiesAdjustedByTheManifest() {
        Discovery d = load("polls");
        Service db = d.application().service("db").orElseThrow();
        LinuxkitTemplate t = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE).translate(d, db);
        assertThat(container(t, "redis").capabilities().orElseThrow()).contains("CAP_SYS_RESOURCE", "CAP_CHOWN")
                .doesNotContain("CAP_NET_RAW", "CAP_MKNOD", "CAP_SYS_ADMIN", "all").hasSize(13);
        assertThat(Capabilities.of(List.of("ALL"), List.of())).containsExactly("all");
        assertThat(Capabilities.of(List.of("net_admin"), List.of("ALL"))).containsExactly("CAP_NET_ADMIN");
    }

    @Test
    void containersShareTheHostNetworkAndSeeTheDiscoveryFiles() {
        Discovery d = load("polls");
        LinuxkitTemplate t = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE)
                .translate(d, d.application().service("vote").orElseThrow());
        ContainerTemplate web = container(t, "web");
        assertThat(web.net()).contains("host");
        assertThat(web.binds().orElseThrow()).contains("/etc/resolv.conf:/etc/resolv.conf:ro", "/etc/hosts:/etc/hosts:ro");
        assertThat(web.env().orElseThrow()).contains("QUEUE_HOST=queue.polls.i2kit.internal", "QUEUE=queue.polls.i2kit.internal:6379");
    }

    @Test
    void aMountBindsTheVolumeTheInitMountedWritableOrReadOnly() {
        Discovery d = load("volume-mounts");
        LinuxkitTemplate t = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE)
                .translate(d, d.application().service("db").orElseThrow());
        assertThat(container(t, "redis").binds().orElseThrow()).contains("/run/i2kit/volumes/data:/data:rw",
                "/run/i2kit/volumes/logs:/logs:rw", "/etc/hosts:/etc/hosts:ro");
        assertThat(container(t, "backup").binds().orElseThrow()).contains("/run/i2kit/volumes/data:/backup/data:ro")
                .noneMatch(b -> b.contains("logs"));
    }

    /** mke2fs formats volumes; a VM unpacks every byte of its initrd into memory, so only stateful services carry it. */
    @Test
    void onlyAServiceWithVolumesGetsTheMke2fsImage() {
        Discovery d = load("volume-mounts");
        LinuxkitTranslator translator = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE);
        assertThat(translator.translate(d, d.application().service("db").orElseThrow()).init())
                .containsExactly("i2kit.local/init:bookworm", "i2kit.local/crun:bookworm", "i2kit.local/mke2fs:bookworm");
        Discovery polls = load("polls");
        for (Service s : polls.application().services()) {
            assertThat(translator.translate(polls, s).init()).as(s.name())
                    .containsExactly("i2kit.local/init:bookworm", "i2kit.local/crun:bookworm");
        }
        BaseProfile offline = BaseProfile.of(PackageProfile.OFFLINE);
        assertThat(offline.references(d.application().services())).contains("i2kit.local/mke2fs:bookworm");
        assertThat(offline.references(polls.application().services())).doesNotContain("i2kit.local/mke2fs:bookworm");
    }

    @Test
    void pinsFromTheLockReplaceTags() {
        Discovery d = load("polls");
        String digest = "sha256:" + "a".repeat(64);
        Pins pins = new Pins(Map.of("docker.io/library/redis:7.2", digest, "i2kit.local/kernel:bookworm", digest));
        LinuxkitTemplate t = new LinuxkitTranslator(pins, ImageDefaults.Lookup.OFFLINE)
                .translate(d, d.application().service("queue").orElseThrow());
        assertThat(t.kernel().image()).isEqualTo("i2kit.local/kernel:bookworm@" + digest);
        assertThat(container(t, "redis").image()).isEqualTo("docker.io/library/redis:7.2@" + digest);
    }

    @Test
    void followsDockersEntrypointRulesWhenTheImageConfigIsKnown() {
        var defaults = new ImageDefaults(List.of("docker-entrypoint.sh"), List.of("redis-server"),
                List.of("PATH=/usr/bin", "QUEUE_HOST=image-default"), Optional.of("/data"), Optional.of("redis"));
        Discovery d = load("polls");
        var worker = d.application().service("worker").orElseThrow().containers().get(0);
        var queue = d.application().service("queue").orElseThrow().containers().get(0);
        assertThat(LinuxkitTranslator.command(queue, Optional.of(defaults)))
                .containsExactly("docker-entrypoint.sh", "redis-server", "--save", "");
        assertThat(LinuxkitTranslator.command(worker, Optional.of(defaults)))
                .containsExactly("/bin/sh", "-c", "while sleep 1; do echo working; done");
        Service workerService = d.application().service("worker").orElseThrow();
        assertThat(LinuxkitTranslator.env(d.environment(workerService, worker), Optional.of(defaults)))
                .startsWith("PATH=/usr/bin", "QUEUE_HOST=override.example");
    }

    @Test
    void outputIsValidYamlWithLinuxkitsKeys() {
        Discovery d = load("linuxkit-profile");
        var rendered = Pipeline.render(d, io.i2kit.manifest.Target.LOCAL, Pins.NONE, ImageDefaults.Lookup.OFFLINE);
        @SuppressWarnings("unchecked")
        Map<String, Object> yaml = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(rendered.text("linuxkit/hello.yml"));
        assertThat(yaml).containsOnlyKeys("kernel", "init", "onboot", "services", "files");
        assertThat(yaml.get("init").toString()).contains("linuxkit/init:", "linuxkit/runc:", "linuxkit/containerd:");
        assertThat(yaml.get("onboot").toString()).contains("dhcpcd", "metadata", "sysctl");
    }
}
