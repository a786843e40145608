package io.i2kit.bootstrap.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleSetTest {
    /** A minimal ELF64 object: header, a .modinfo section, the section-name table, three section headers. */
    static byte[] elf(String modinfo) {
        byte[] info = modinfo.getBytes(StandardCharsets.UTF_8);
        byte[] names = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int infoOffset = 64;
        int namesOffset = infoOffset + info.length;
        int shoff = namesOffset + names.length;
        ByteBuffer b = ByteBuffer.allocate(shoff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(0x28, shoff).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3).putShort(0x3E, (short) 2);
        b.put(infoOffset, info).put(namesOffset, names);
        section(b, shoff + 64, 1, infoOffset, info.length);
        section(b, shoff + 128, 10, namesOffset, names.length);
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int nameOffset, long offset, long size) {
        b.putInt(at, nameOffset).putInt(at + 4, 1).putLong(at + 24, offset).putLong(at + 32, size);
    }

    @Test
    void readsNameAndDependsFromTheElfSection() {
        ModInfo info = ModInfo.read(elf("license=GPL\0depends=net_failover,virtio,virtio_ring\0\0name=virtio_net\0vermagic=6.1\0"), "x");
        assertThat(info).isEqualTo(new ModInfo("virtio_net", List.of("net_failover", "virtio", "virtio_ring")));
        assertThat(ModInfo.parseStrings("depends=\0".getBytes(StandardCharsets.UTF_8), "nls_iso8859-1"))
                .isEqualTo(new ModInfo("nls_iso8859_1", List.of()));
        assertThatThrownBy(() -> ModInfo.read(new byte[100], "x")).hasMessage("not an ELF file");
    }

    @Test
    void deviceAliasesAreKeptAndNamesTheKernelAsksForAreNot() {
        ModInfo info = ModInfo.parseStrings(("alias=pci:v00001AF4d*sv*sd*bc*sc*i*\0alias=fs-overlay\0alias=devname:fuse\0"
                + "alias=char-major-10-229\0alias=acpi*:QEMU0002:*\0name=m\0").getBytes(StandardCharsets.UTF_8), "m");
        assertThat(info.aliases()).containsExactly("pci:v00001AF4d*sv*sd*bc*sc*i*", "acpi*:QEMU0002:*");
    }

    @Test
    void theAliasListNamesEachDriversDevicesInLoadOrder() {
        Map<String, ModInfo> infos = new java.util.HashMap<>(VIRTIO);
        infos.put("virtio_pci", new ModInfo("virtio_pci", VIRTIO.get("virtio_pci").depends(), List.of("pci:v00001AF4d*sv*sd*bc*sc*i*")));
        infos.put("virtio_net", new ModInfo("virtio_net", VIRTIO.get("virtio_net").depends(), List.of("virtio:d00000001v*")));
        ModuleSet set = ModuleSet.select(PATHS, infos, Set.of(), List.of("virtio_pci", "virtio_net"), List.of());
        assertThat(set.aliasList()).isEqualTo("virtio:d00000001v* kernel/drivers/net/virtio_net.ko\n"
                + "pci:v00001AF4d*sv*sd*bc*sc*i* kernel/drivers/virtio/virtio_pci.ko\n");
    }

    /** The virtio modules of Debian's 6.1 cloud kernel, as their .modinfo says. */
    static final Map<String, ModInfo> VIRTIO = Map.of(
            "virtio_ring", new ModInfo("virtio_ring", List.of()),
            "virtio", new ModInfo("virtio", List.of("virtio_ring")),
            "virtio_pci_modern_dev", new ModInfo("virtio_pci_modern_dev", List.of()),
            "virtio_pci_legacy_dev", new ModInfo("virtio_pci_legacy_dev", List.of()),
            "virtio_pci", new ModInfo("virtio_pci", List.of("virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio", "virtio_ring")),
            "failover", new ModInfo("failover", List.of()),
            "net_failover", new ModInfo("net_failover", List.of("failover")),
            "virtio_net", new ModInfo("virtio_net", List.of("net_failover", "virtio", "virtio_ring")),
            "unwanted", new ModInfo("unwanted", List.of()));
    static final Map<String, String> PATHS = Map.of(
            "virtio_ring", "kernel/drivers/virtio/virtio_ring.ko", "virtio", "kernel/drivers/virtio/virtio.ko",
            "virtio_pci_modern_dev", "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
            "virtio_pci_legacy_dev", "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
            "virtio_pci", "kernel/drivers/virtio/virtio_pci.ko", "failover", "kernel/net/core/failover.ko",
            "net_failover", "kernel/drivers/net/net_failover.ko", "virtio_net", "kernel/drivers/net/virtio_net.ko",
            "unwanted", "kernel/unwanted.ko");

    @Test
    void loadOrderPutsEveryModuleAfterItsDependencies() {
        ModuleSet set = ModuleSet.select(PATHS, VIRTIO, Set.of("nvme"), List.of("virtio_pci", "virtio_net", "nvme"), List.of("vfat"));
        assertThat(set.order()).containsExactly("failover", "net_failover", "virtio_ring", "virtio", "virtio_net",
                "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci");
        assertThat(set.builtin()).containsExactly("nvme");
        for (String m : set.order()) {
            for (String dep : VIRTIO.get(m).depends()) {
                assertThat(set.order().indexOf(dep)).as(dep + " before " + m).isLessThan(set.order().indexOf(m));
            }
        }
        assertThat(set.loadList()).startsWith("kernel/net/core/failover.ko\nkernel/drivers/net/net_failover.ko\nkernel/drivers/virtio/virtio_ring.ko\n");
        assertThat(set.modulesDep()).contains("kernel/drivers/net/virtio_net.ko: kernel/drivers/virtio/virtio.ko "
                + "kernel/drivers/virtio/virtio_ring.ko kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko\n");
        assertThat(set.modulesDep()).contains("kernel/drivers/virtio/virtio_ring.ko:\n");
    }

    @Test
    void aMissingRequiredModuleOrDependencyFailsAndACycleIsNamed() {
        assertThatThrownBy(() -> ModuleSet.select(PATHS, VIRTIO, Set.of(), List.of("virtio_nett"), List.of()))
                .isInstanceOf(I2kitException.class).hasMessageStartingWith("the kernel has neither a module nor a built-in driver named virtio_nett");
        Map<String, ModInfo> broken = Map.of("a", new ModInfo("a", List.of("gone")));
        assertThatThrownBy(() -> ModuleSet.select(Map.of("a", "a.ko"), broken, Set.of(), List.of("a"), List.of()))
                .hasMessageStartingWith("kernel module a depends on gone");
        Map<String, ModInfo> cycle = Map.of("a", new ModInfo("a", List.of("b")), "b", new ModInfo("b", List.of("a")));
        assertThatThrownBy(() -> ModuleSet.select(Map.of("a", "a.ko", "b", "b.ko"), cycle, Set.of(), List.of("a"), List.of()))
                .hasMessage("kernel modules depend on each other in a cycle: a -> b -> a");
    }

}
