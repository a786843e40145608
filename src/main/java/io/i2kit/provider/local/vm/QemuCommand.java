package io.i2kit.provider.local.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    static final String SECRETS_FW_CFG = "opt/i2kit/secrets";

    private QemuCommand() {
    }

    /**
     * The whole command: QEMU in a network namespace of its own, where its forwarded ports exist
     * only on that namespace's loopback; a relay per port from a socket file in the work directory
     * (0600) is the only way in, so only the owner reaches the guest, and only where i2kit forwards.
     * Everything execs in turn, so the pid is QEMU's and the relays are its children.
     */
    static List<String> of(VmSpec spec, HostTools tools, boolean root) {
        Path dir = spec.workDir();
        List<String> command = new ArrayList<>(List.of(tools.unshareForNamespaces().toString(), "--net"));
        if (!root) {
            command.addAll(List.of("--user", "--map-root-user"));
        }
        StringBuilder script = new StringBuilder(quote(tools.ipForNamespaces().toString()) + " link set lo up || exit 1\n");
        for (int port : spec.exposedPorts()) {
            // pdeathsig: a relay ends with its parent, QEMU (the shell execs into it), however QEMU ends.
            script.append(quote(tools.setprivForRelays().toString())).append(" --pdeathsig KILL ")
                    .append(quote(tools.socatForForwards().toString())).append(' ')
                    .append(quote("UNIX-LISTEN:" + socket(dir, port) + ",fork,mode=600,unlink-early")).append(' ')
                    .append("TCP:127.0.0.1:").append(port).append(" </dev/null &\n");
        }
        script.append("exec \"$@\"\n");
        command.addAll(List.of("--", "/bin/sh", "-c", script.toString(), "i2kit-vm"));
        command.addAll(qemu(spec, tools));
        return command;
    }

    /** The console's chardev option: what also tells this VM's QEMU from any other process. */
    static String consoleChardev(Path workDir) {
        return "file,id=console,path=" + workDir.resolve(CONSOLE) + ",append=on";
    }

    /** The socket file through which the host reaches {@code guestPort} of the VM in {@code workDir}. */
    static Path socket(Path workDir, int guestPort) {
        return workDir.resolve("port-" + guestPort + ".sock");
    }

    static List<String> qemu(VmSpec spec, HostTools tools) {
        Path dir = spec.workDir();
        List<String> command = new ArrayList<>(List.of(tools.qemu().toString(), "-name", spec.name(),
                "-m", Integer.toString(spec.memoryMiB()), "-smp", Integer.toString(spec.cpus())));
        command.addAll(spec.accelerator().options());
        // append=on: the supervisor caps the console by truncating it, and QEMU then goes on at the new end.
        command.addAll(List.of("-display", "none", "-monitor", "none", "-chardev", consoleChardev(dir),
                "-serial", "chardev:console",
                "-no-reboot", "-qmp", "unix:" + dir.resolve(QMP) + ",server=on,wait=off",
                "-kernel", spec.kernel().toString(), "-initrd", spec.initrd().toString(), "-append", spec.cmdline(),
                "-nic", nic(spec, tools)));
        if (spec.metadata().isPresent()) {
            command.addAll(List.of("-fw_cfg", "name=" + METADATA_FW_CFG + ",file=" + dir.resolve(METADATA)));
        }
        for (int i = 0; i < spec.disks().size(); i++) {
            VmSpec.Disk disk = spec.disks().get(i);
            // QEMU locks the file (locking=auto): a second VM started on the same volume fails
            // instead of corrupting it. discard: blocks the guest frees go back to the host.
            command.addAll(List.of("-drive", "file=" + disk.file() + ",if=none,id=vol" + i + ",format=raw,discard=unmap",
                    "-device", "virtio-blk-pci,drive=vol" + i + ",serial=" + disk.serial()));
        }
        spec.secrets().ifPresent(file -> command.addAll(List.of("-fw_cfg", "name=" + SECRETS_FW_CFG + ",file=" + file)));
        return command;
    }

    private static String nic(VmSpec spec, HostTools tools) {
        // restrict=on: the guest reaches nothing on the host (10.0.2.2 included) nor beyond, only what
        // the guestfwd rules below name; hostfwd into the guest still works. The forwarded ports keep
        // their numbers: the namespace's loopback is the VM's alone.
        StringBuilder nic = new StringBuilder("user,model=virtio-net-pci,restrict=on");
        for (int guestPort : spec.exposedPorts()) {
            nic.append(",hostfwd=tcp:127.0.0.1:").append(guestPort).append("-:").append(guestPort);
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
        GuestForward.UnixSocket s = (GuestForward.UnixSocket) target;
        return tools.socatForForwards() + " STDIO UNIX-CONNECT:" + s.path();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The command as a person would type it, for error messages. */
    static String display(List<String> command) {
        return command.stream()
                .map(a -> a.matches("[A-Za-z0-9_./:=,@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
