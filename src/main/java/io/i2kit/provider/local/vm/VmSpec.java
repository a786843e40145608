package io.i2kit.provider.local.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One VM to launch: what it boots, its size, which guest ports the host reaches, the discovery
 * forwards it reaches out through, its boot metadata and the directory that holds its files
 * ({@code console.log}, {@code qemu.log}, {@code metadata.json}, {@code qemu.pid}, {@code qmp.sock}).
 *
 * @param exposedPorts guest TCP ports, each reached through the socket file {@code port-N.sock} in the work directory
 * @param metadata     the boot metadata payload (JSON), passed as fw_cfg {@code opt/i2kit/metadata}
 * @param workDir      belongs to this VM alone: its path is what identifies the QEMU process later
 * @param accelerator  KVM only once {@link VmLauncher#chooseAccelerator} saw it boot Linux here
 * @param disks        data disks (a replica's volumes), attached as virtio-blk in this order
 * @param secrets      the file with the values of the VM's secrets, passed as fw_cfg {@code opt/i2kit/secrets};
 *                     QEMU reads it as it starts, so the caller deletes it once {@link Hypervisor#start} returns
 */
public record VmSpec(String name, Path kernel, Path initrd, String cmdline, int memoryMiB, int cpus,
                     List<Integer> exposedPorts, List<GuestForward> forwards, Optional<String> metadata, Path workDir,
                     Accelerator accelerator, List<Disk> disks, Optional<Path> secrets) {
    /** A raw disk file and the serial the guest finds it by ({@code /sys/block/vdX/serial}). */
    public record Disk(Path file, String serial) {
        /** What virtio-blk carries of a serial (VIRTIO_BLK_ID_BYTES). */
        public static final int MAX_SERIAL_BYTES = 20;

        public Disk {
            file = file.toAbsolutePath().normalize();
            if (!serial.matches("[A-Za-z0-9-]{1," + MAX_SERIAL_BYTES + "}")) {
                throw new IllegalArgumentException("disk serial \"" + serial + "\" must be 1 to " + MAX_SERIAL_BYTES
                        + " letters, digits or '-'");
            }
            if (file.toString().contains(",")) {
                throw new IllegalArgumentException("disk file " + file + " contains a comma, which QEMU options cannot carry");
            }
        }
    }

    /** A VM without secrets. */
    public VmSpec(String name, Path kernel, Path initrd, String cmdline, int memoryMiB, int cpus,
                  List<Integer> exposedPorts, List<GuestForward> forwards, Optional<String> metadata, Path workDir,
                  Accelerator accelerator, List<Disk> disks) {
        this(name, kernel, initrd, cmdline, memoryMiB, cpus, exposedPorts, forwards, metadata, workDir, accelerator, disks,
                Optional.empty());
    }

    /** A VM without disks or secrets. */
    public VmSpec(String name, Path kernel, Path initrd, String cmdline, int memoryMiB, int cpus,
                  List<Integer> exposedPorts, List<GuestForward> forwards, Optional<String> metadata, Path workDir,
                  Accelerator accelerator) {
        this(name, kernel, initrd, cmdline, memoryMiB, cpus, exposedPorts, forwards, metadata, workDir, accelerator,
                List.of(), Optional.empty());
    }

    public VmSpec {
        secrets = secrets == null ? Optional.empty() : secrets.map(Path::toAbsolutePath);
        exposedPorts = List.copyOf(exposedPorts);
        forwards = List.copyOf(forwards);
        disks = List.copyOf(disks);
        kernel = kernel.toAbsolutePath();
        initrd = initrd.toAbsolutePath();
        workDir = workDir.toAbsolutePath().normalize();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("VM name \"" + name + "\" must be letters, digits, '.', '_' or '-'");
        }
        if (memoryMiB < 1 || cpus < 1) {
            throw new IllegalArgumentException("a VM needs memory and at least one CPU, not " + memoryMiB + " MiB and " + cpus);
        }
        for (int port : exposedPorts) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("guest port " + port + " is out of range");
            }
        }
        for (int port : exposedPorts) {
            String socket = QemuCommand.socket(workDir, port).toString();
            if (socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > GuestForward.UnixSocket.MAX_PATH_BYTES) {
                throw new IllegalArgumentException("the socket " + socket + " of guest port " + port + " is longer than "
                        + GuestForward.UnixSocket.MAX_PATH_BYTES + " bytes, the most a Unix socket address holds;"
                        + " use a shorter I2KIT_HOME");
            }
        }
        if (exposedPorts.stream().distinct().count() != exposedPorts.size()) {
            throw new IllegalArgumentException("guest ports " + exposedPorts + " repeat a port");
        }
        // QEMU splits -nic and -fw_cfg values at commas; the work dir names files in both.
        if (workDir.toString().contains(",") || secrets.map(s -> s.toString().contains(",")).orElse(false)) {
            throw new IllegalArgumentException("work directory " + workDir + " contains a comma, which QEMU options cannot carry");
        }
    }
}
