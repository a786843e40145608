package io.i2kit.linuxkit;

import io.i2kit.manifest.PackageProfile;
import io.i2kit.manifest.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * The base packages of a {@link PackageProfile}: kernel, init images and onboot steps, and the init
 * images only services with volumes get. References are pinned by tag here; the lock file pins
 * them by digest.
 */
public record BaseProfile(PackageProfile profile, String kernel, String cmdline, List<String> init,
                          List<String> volumeInit, List<ContainerTemplate> onboot) {
    /** The UEFI loader of raw-efi disks, for every profile: systemd-boot, built from Debian's package. */
    public static final String EFI_LOADER = "i2kit.local/systemd-boot:bookworm";

    /** Serial console first: cloud consoles and the local provider's log capture read ttyS0. */
    static final String CMDLINE = "console=tty0 console=ttyS0";

    /**
     * Built by {@code i2kit bootstrap} from Debian's packages into the local store. i2kit's init
     * itself does networking, sysctl and metadata, so there are no onboot steps.
     * {@code percpu_alloc=page}: the per-CPU areas in pages rather than a 2 MiB chunk per CPU, which
     * a small VM still holds while the kernel unpacks the initrd, its moment of greatest need
     * (bench/memory: 2 MiB less for every service).
     * {@code rootfstype=ramfs}: without it the initramfs is a tmpfs capped at half the memory the
     * kernel manages when it mounts it, before it frees the initrd and its own init code, so a
     * small VM refused to unpack an image it had the memory to hold ("Initramfs unpacking failed:
     * write error"). Nothing but the init writes to that root: containers write to tmpfs layers.
     * {@code lockdown=confidentiality}: the kernel's lockdown, which keeps root (and so any
     * container) from reading or changing kernel memory (kprobes, tracefs, /dev/mem, unsigned
     * modules). It also spares the 9 MiB of inodes and dentries this kernel otherwise makes at boot
     * for tracefs' 1,400 events, which nothing in an i2kit VM reads.
     * mke2fs formats a volume on its first use; a VM unpacks every byte of its initrd into memory
     * at boot, so stateless services do without its 1 MiB.
     */
    static final BaseProfile OFFLINE = new BaseProfile(PackageProfile.OFFLINE,
            "i2kit.local/kernel:bookworm", CMDLINE + " quiet panic=-1 percpu_alloc=page rootfstype=ramfs lockdown=confidentiality",
            List.of("i2kit.local/init:bookworm", "i2kit.local/crun:bookworm"),
            List.of("i2kit.local/mke2fs:bookworm"),
            List.of());

    /** LinuxKit's packages as in its AWS example (the paper's Figure 6, with today's versions). */
    static final BaseProfile LINUXKIT = new BaseProfile(PackageProfile.LINUXKIT,
            "linuxkit/kernel:6.12.59", CMDLINE,
            List.of("linuxkit/init:b5506cc74a6812dc40982cacfd2f4328f8a4b12a",
                    "linuxkit/runc:9442aa234715e751a16144f1d4ae3fd1a00fd492",
                    "linuxkit/containerd:ba19f64efd3331a8fd0a33e00eabd14f6ee1780e",
                    "linuxkit/ca-certificates:256f1950df59f2f209e9f0b81374177409eb11de"),
            List.of(),
            List.of(
                    // LinuxKit's packages carry their capabilities and binds in their image label.
                    ContainerTemplate.of("sysctl", "linuxkit/sysctl:43ac1d39da329c3567fcb9689e5ca99de6d169b6"),
                    ContainerTemplate.of("dhcpcd", "linuxkit/dhcpcd:b87e9ececac55a65eaa592f4dd8b4e0c3009afdb")
                            .withCommand(List.of("/sbin/dhcpcd", "--nobackground", "-f", "/dhcpcd.conf", "-1")),
                    ContainerTemplate.of("metadata", "linuxkit/metadata:4bbf406678d376e1ae9c9efae6ca2421f63fb4ff"),
                    // Turns the discovery entries of the metadata into /etc/hosts lines and the
                    // resolver's search domain, as i2kit's own init does in the offline profile.
                    ContainerTemplate.of("discovery", "docker.io/library/busybox:1.37.0")
                            .withCommand(List.of("/bin/sh", "-c", "[ -f /run/config/i2kit/hosts ] && cat /run/config/i2kit/hosts >> /etc/hosts;"
                                    + " [ -f /run/config/i2kit/search ] && echo \"search $(cat /run/config/i2kit/search)\" >> /etc/resolv.conf; true"))
                            .withCapabilities(List.of())
                            .withBinds(List.of("/etc:/etc", "/run:/run"))));

    public static BaseProfile of(PackageProfile profile) {
        return switch (profile) {
            case OFFLINE -> OFFLINE;
            case LINUXKIT -> LINUXKIT;
        };
    }

    /** The init images of a VM of {@code service}: the base ones, then what volumes need. */
    public List<String> init(Service service) {
        if (!service.isStateful()) {
            return init;
        }
        List<String> images = new ArrayList<>(init);
        images.addAll(volumeInit);
        return List.copyOf(images);
    }

    /**
     * The profile's image references that the VMs of these services name, for the lock file: what
     * volumes need only when one of them has volumes.
     */
    public List<String> references(List<Service> services) {
        List<String> refs = new ArrayList<>();
        refs.add(kernel);
        refs.addAll(init);
        if (services.stream().anyMatch(Service::isStateful)) {
            refs.addAll(volumeInit);
        }
        onboot.forEach(o -> refs.add(o.image()));
        return refs;
    }
}
