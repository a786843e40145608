package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.vm.Accelerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** plan decides as up does: the same image with another VM size or discovery is an update, not "unchanged". */
class LocalPlanTest {
    private static final String IMAGE = "sha256:" + "a".repeat(64);

    private static DesiredState.ServiceState service(String name, int memory, int replicas, String metadata) {
        return new DesiredState.ServiceState(name, IMAGE, Path.of("/k"), Path.of("/i"), "console=ttyS0", replicas, memory,
                1, false, List.of(), Optional.empty(), List.of(), metadata);
    }

    private static DesiredState app(DesiredState.ServiceState... services) {
        return new DesiredState("app", "app.i2kit.internal", Accelerator.TCG, List.of(services));
    }

    @Test
    void comparesWhatUpCompares() {
        DesiredState running = app(service("web", 128, 1, "{}"), service("db", 128, 1, "{}"),
                service("cache", 128, 1, "{}"), service("gone", 128, 1, "{}"));
        DesiredState next = app(service("web", 256, 1, "{}"), service("db", 128, 1, "{\"hosts\":1}"),
                service("cache", 128, 3, "{}"), service("new", 128, 1, "{}"));

        List<LocalPlan.Change> changes = LocalPlan.of(next, Optional.of(running)).changes();

        assertThat(changes).extracting(LocalPlan.Change::service, LocalPlan.Change::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web", LocalPlan.Action.UPDATE),
                org.assertj.core.groups.Tuple.tuple("db", LocalPlan.Action.UPDATE),
                org.assertj.core.groups.Tuple.tuple("cache", LocalPlan.Action.SCALE),
                org.assertj.core.groups.Tuple.tuple("new", LocalPlan.Action.CREATE),
                org.assertj.core.groups.Tuple.tuple("gone", LocalPlan.Action.REMOVE));
        assertThat(changes.get(0).detail()).contains("VM size");
        assertThat(changes.get(1).detail()).contains("discovery or boot metadata");
        assertThat(LocalPlan.of(running, Optional.of(running)).changes()).extracting(LocalPlan.Change::action)
                .containsOnly(LocalPlan.Action.UNCHANGED);
    }

    @Test
    void aStatefulServicesUpdateSaysItHasDowntimeAndAShrinkKeepsVolumes() {
        List<DesiredState.VolumeState> data = List.of(new DesiredState.VolumeState("data", 1L << 30));
        DesiredState.ServiceState db = service("db", 128, 2, "{}");
        DesiredState running = app(withVolumes(db, data));
        DesiredState next = app(withVolumes(service("db", 256, 2, "{}"), data));

        assertThat(LocalPlan.of(next, Optional.of(running)).changes().get(0).detail())
                .contains("stop-first", "downtime").doesNotContain("rolling");
        assertThat(LocalPlan.of(app(withVolumes(service("db", 128, 1, "{}"), data)), Optional.of(running)).changes()
                .get(0).detail()).isEqualTo("2 -> 1 replicas (the volumes of the replicas removed are kept)");
        assertThat(LocalPlan.of(app(service("web", 256, 2, "{}")), Optional.of(app(service("web", 128, 2, "{}"))))
                .changes().get(0).detail()).contains("rolling 2 VMs").doesNotContain("downtime");
    }

    private static DesiredState.ServiceState withVolumes(DesiredState.ServiceState s, List<DesiredState.VolumeState> volumes) {
        return new DesiredState.ServiceState(s.name(), s.image(), s.kernel(), s.initrd(), s.cmdline(), s.replicas(),
                s.memoryMiB(), s.cpus(), s.isPublic(), s.ports(), s.health(), s.forwards(), s.metadata(), volumes);
    }

    @Test
    void aNewSecretVersionReplacesTheVmsAndSaysWhichSecret() {
        io.i2kit.discovery.BootMetadata base = new io.i2kit.discovery.BootMetadata("app", "db", "app.i2kit.internal", List.of());
        String v1 = base.withSecrets(List.of(new io.i2kit.discovery.BootMetadata.SecretVersion("db-password", 1))).toJson();
        String v2 = base.withSecrets(List.of(new io.i2kit.discovery.BootMetadata.SecretVersion("db-password", 2),
                new io.i2kit.discovery.BootMetadata.SecretVersion("api-key", 1))).toJson();

        LocalPlan.Change change = LocalPlan.of(app(service("db", 128, 1, v2)), Optional.of(app(service("db", 128, 1, v1))))
                .changes().get(0);

        assertThat(change.action()).isEqualTo(LocalPlan.Action.UPDATE);
        assertThat(change.detail()).isEqualTo("aaaaaaaaaaaa -> aaaaaaaaaaaa "
                + "(secret api-key added (v1), secret db-password v1 -> v2), rolling 1 VMs");
        assertThat(LocalPlan.of(app(service("db", 128, 1, v1)), Optional.of(app(service("db", 128, 1, v1)))).changes()
                .get(0).action()).isEqualTo(LocalPlan.Action.UNCHANGED);

        // another host too: both are said, the secrets not hiding the rest of the metadata
        String v2AndHost = new io.i2kit.discovery.BootMetadata("app", "db", "app.i2kit.internal",
                List.of(new io.i2kit.discovery.BootMetadata.Host("10.0.0.9", List.of("cache"))))
                .withSecrets(List.of(new io.i2kit.discovery.BootMetadata.SecretVersion("db-password", 2))).toJson();
        assertThat(LocalPlan.of(app(service("db", 128, 1, v2AndHost)), Optional.of(app(service("db", 128, 1, v1))))
                .changes().get(0).detail()).isEqualTo("aaaaaaaaaaaa -> aaaaaaaaaaaa "
                + "(discovery or boot metadata, secret db-password v1 -> v2), rolling 1 VMs");
    }

    /**
     * The host port of a public balancer is the supervisor's to choose (the manifest's may be taken):
     * an up that asks for another one replaces no VM; a new instance port does.
     */
    @Test
    void aPublicPortsHostPortIsNoReasonForNewVms() {
        DesiredState.ServiceState onPort80 = publicWeb(80, 8080);
        DesiredState running = app(publicWeb(41234, 8080));

        assertThat(LocalPlan.of(app(onPort80), Optional.of(running)).changes()).extracting(LocalPlan.Change::action)
                .containsExactly(LocalPlan.Action.UNCHANGED);
        assertThat(LocalPlan.of(app(publicWeb(80, 9090)), Optional.of(running)).changes().get(0).detail())
                .contains("ports or command line");
    }

    private static DesiredState.ServiceState publicWeb(int hostPort, int instancePort) {
        return new DesiredState.ServiceState("web", IMAGE, Path.of("/k"), Path.of("/i"), "console=ttyS0", 1, 128, 1, true,
                List.of(new DesiredState.PortState(Protocol.HTTP, 80, instancePort, Endpoint.tcp(hostPort),
                        Path.of("/s/web-80.sock"))), Optional.empty(), List.of(), "{}");
    }
}
