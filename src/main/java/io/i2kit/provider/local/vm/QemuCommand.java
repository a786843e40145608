package io.i2kit.provider.local.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The QEMU command line of one VM. Every file it names lies in the VM's work directory, which is
 * also how a later supervisor recognises the process ({@link VmProcessInfo}).
 */
final class QemuCommand {
    static final String CONSOLE = "console.log";
    static final String QEMU_LOG = "qemu.log";
    static final String METADATA = "metadata.json";
    static final String PID = "qemu.pid";
    static final String QMP = "qmp.sock";
    static final String METADATA_FW_CFG = "opt/i2kit/metadata";

    private QemuCommand() {
    }

    /**
     * @param hostPorts guest port to host port, for every exposed port of the spec
     */
    static List<String> of(VmSpec spec, HostTools tools, Map<Integer, Integer> hostPorts) {
        Path dir = spec.workDir();
        List<String> command = new ArrayList<>(List.of(tools.qemu().toString(), "-name", spec.name(),
                "-m", Integer.toString(spec.memoryMiB()), "-smp", Integer.toString(spec.cpus())));
        command.addAll(spec.accelerator().options());
        command.addAll(List.of("-display", "none", "-monitor", "none", "-serial", "file:" + dir.resolve(CONSOLE),
                "-no-reboot", "-qmp", "unix:" + dir.resolve(QMP) + ",server=on,wait=off",
                "-kernel", spec.kernel().toString(), "-initrd", spec.initrd().toString(), "-append", spec.cmdline(),
                "-nic", nic(spec, tools, hostPorts)));
        if (spec.metadata().isPresent()) {
            command.addAll(List.of("-fw_cfg", "name=" + METADATA_FW_CFG + ",file=" + dir.resolve(METADATA)));
        }
        return command;
    }

    private static String nic(VmSpec spec, HostTools tools, Map<Integer, Integer> hostPorts) {
        // restrict=on: the guest reaches nothing on the host (10.0.2.2 included) nor beyond, only what
        // the guestfwd rules below name; hostfwd into the guest still works.
        StringBuilder nic = new StringBuilder("user,model=virtio-net-pci,restrict=on");
        for (int guestPort : spec.exposedPorts()) {
            Integer hostPort = hostPorts.get(guestPort);
            if (hostPort == null) {
                throw new IllegalArgumentException("no host port chosen for guest port " + guestPort);
            }
            nic.append(",hostfwd=tcp:127.0.0.1:").append(hostPort).append("-:").append(guestPort);
        }
        for (GuestForward f : spec.forwards()) {
            // A command target: QEMU runs it once per guest connection, piping the connection to its
            // stdin and stdout. A tcp: chardev target would connect once at start and serve one connection.
            nic.append(",guestfwd=tcp:").append(f.guestIp()).append(':').append(f.guestPort())
                    .append("-cmd:").append(forwardCommand(f.target(), tools));
        }
        return nic.toString();
    }

    /** The per-connection command; QEMU splits it into arguments with GLib's shell rules. */
    static String forwardCommand(GuestForward.Target target, HostTools tools) {
        if (target instanceof GuestForward.HostPort p) {
            return tools.busyboxForForwards() + " nc 127.0.0.1 " + p.port();
        }
        GuestForward.UnixSocket s = (GuestForward.UnixSocket) target;
        return tools.socatForForwards() + " STDIO UNIX-CONNECT:" + s.path();
    }

    /** The command as a person would type it, for error messages. */
    static String display(List<String> command) {
        return command.stream()
                .map(a -> a.matches("[A-Za-z0-9_./:=,@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
