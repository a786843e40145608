package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.local.vm.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service with volumes on stand-in VMs: each replica number has its own disk files, which every
 * VM of that number gets (update, healing), and no two VMs of a replica ever run at once.
 */
class StatefulServiceTest {
    private static final long SIZE = 16L << 20;
    @TempDir
    Path dir;

    private static DesiredState db(SupervisorHarness h, char version, int replicas) {
        return db(h, version, replicas, SupervisorHarness.patient());
    }

    private static DesiredState db(SupervisorHarness h, char version, int replicas, io.i2kit.manifest.Health health) {
        DesiredState.ServiceState s = h.service("db", version, replicas, health);
        return SupervisorHarness.app(new DesiredState.ServiceState(s.name(), s.image(), s.kernel(), s.initrd(), s.cmdline(),
                s.replicas(), s.memoryMiB(), s.cpus(), s.isPublic(), s.ports(), s.health(), s.forwards(), s.metadata(),
                List.of(new DesiredState.VolumeState("data", SIZE), new DesiredState.VolumeState("logs", SIZE))));
    }

    private static List<VmSpec.Disk> disks(SupervisorHarness h, int replica) {
        return List.of(new VmSpec.Disk(h.paths.volume("db", replica, "data"), "i2kit-v0"),
                new VmSpec.Disk(h.paths.volume("db", replica, "logs"), "i2kit-v1"));
    }

    @Test
    void eachReplicaGetsSparseOwnerOnlyDiskFilesOfItsOwn() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(db(h, '1', 2));
            assertThat(h.hypervisor.vm("db-g1-r0").disks).isEqualTo(disks(h, 0));
            assertThat(h.hypervisor.vm("db-g1-r1").disks).isEqualTo(disks(h, 1));
            Path data = h.paths.volume("db", 0, "data");
            assertThat(Files.size(data)).isEqualTo(SIZE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rw-------");
            for (Path d = data.getParent(); !d.equals(h.paths.root()); d = d.getParent()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
            }
            assertThat(h.log()).contains("[db] created volume db/r0/data (16 MiB) at " + data);
        }
    }

    @Test
    void anUpdateStopsEachOldVmBeforeItsReplacementTakesItsDisks() throws Exception {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(db(h, '1', 2));
            Files.write(h.paths.volume("db", 0, "data"), new byte[] {42}, java.nio.file.StandardOpenOption.WRITE);
            h.apply(db(h, '2', 2));
            assertThat(h.hypervisor.events()).containsExactly("start db-g1-r0", "start db-g1-r1",
                    "stop db-g1-r0", "start db-g2-r0", "stop db-g1-r1", "start db-g2-r1");
            assertThat(h.hypervisor.vm("db-g2-r0").disks).isEqualTo(disks(h, 0));
            assertThat(h.hypervisor.vm("db-g2-r1").disks).isEqualTo(disks(h, 1));
            assertThat(Files.readAllBytes(h.paths.volume("db", 0, "data"))[0]).as("an existing file is never recreated")
                    .isEqualTo((byte) 42);
            assertThat(h.replicas("db")).containsExactly("db-g2-r0 healthy", "db-g2-r1 healthy");
            assertThat(h.log()).anyMatch(l -> l.matches("\\[db\\] downtime of replica r0: \\d+\\.\\d s from stopping db-g1-r0 to db-g2-r0 healthy"));
        }
    }

    @Test
    void aFailedUpdateGoesBackOnTheSameDisksWithNeverTwoVmsOnOne() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(db(h, '1', 1, SupervisorHarness.impatient()));
            h.hypervisor.afterStart(vm -> {
                if (vm.name().startsWith("db-g2-")) {
                    vm.health(500);
                }
            });
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.apply(db(h, '2', 1, SupervisorHarness.impatient())))
                    .hasMessageContaining("db: failed, back on g1");
            assertThat(h.hypervisor.events()).containsExactly("start db-g1-r0", "stop db-g1-r0", "start db-g2-r0",
                    "stop db-g2-r0", "start db-g1-r0");
            assertThat(h.hypervisor.vm("db-g1-r0").disks).isEqualTo(disks(h, 0));
            assertThat(h.replicas("db")).containsExactly("db-g1-r0 healthy");
        }
    }

    @Test
    void aReplicaThatDiedIsReplacedOnItsOwnDisks() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(db(h, '1', 2));
            h.hypervisor.vm("db-g1-r0").kill();
            h.supervisor.reconcile();
            assertThat(h.log()).contains("[db] db-g1-r0 exited; replacing it");
            // the stand-in records only stops of live VMs: this one was dead
            assertThat(h.hypervisor.events()).containsExactly("start db-g1-r0", "start db-g1-r1", "start db-g1-r0");
            assertThat(h.hypervisor.vm("db-g1-r0").disks).isEqualTo(disks(h, 0));
            h.await("the replacement healthy", () -> h.replicas("db").contains("db-g1-r0 healthy"));
            assertThat(h.replicas("db")).containsExactlyInAnyOrder("db-g1-r0 healthy", "db-g1-r1 healthy");
        }
    }

    @Test
    void fewerReplicasKeepTheVolumesOfTheRemovedOnesForWhenTheyComeBack() {
        try (SupervisorHarness h = new SupervisorHarness(dir)) {
            h.apply(db(h, '1', 3));
            h.apply(db(h, '1', 1));
            assertThat(h.replicas("db")).containsExactly("db-g1-r0 healthy");
            assertThat(h.paths.volume("db", 2, "data")).exists();
            assertThat(h.log()).anyMatch(l -> l.startsWith("[db] kept the volumes of db-g1-r2 in " + h.paths.volumes()));
            h.apply(db(h, '1', 2));
            assertThat(h.hypervisor.vm("db-g1-r1").disks).isEqualTo(disks(h, 1));
        }
    }
}
