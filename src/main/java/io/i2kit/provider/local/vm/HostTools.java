package io.i2kit.provider.local.vm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host programs a VM needs, found once on a {@code PATH} and then run by absolute path, so
 * nothing depends on the environment of whoever starts the VM later.
 *
 * @param socat   runs the guest forwards to load balancers' Unix sockets, and the relays from a VM's
 *                own sockets to its forwarded ports inside its network namespace
 * @param unshare puts each VM in a network namespace of its own (util-linux)
 * @param setpriv ties each relay's life to its QEMU's (util-linux, {@code --pdeathsig})
 * @param ip      brings that namespace's loopback up (iproute2)
 */
record HostTools(Path qemu, Optional<Path> socat, Optional<Path> unshare, Optional<Path> setpriv, Optional<Path> ip) {
    static final String QEMU = "qemu-system-x86_64";
    /** Where Debian keeps ip; a user's PATH often lacks the sbin directories. */
    private static final String SBIN = "/usr/sbin:/sbin";

    static HostTools onPath(String path) {
        Path qemu = find(path, QEMU).orElseThrow(() -> new VmException(QEMU + " was not found on the PATH (" + path
                + "); the local provider runs every VM with it. Install it with: apt-get install qemu-system-x86"));
        return new HostTools(qemu, find(path, "socat"), find(path, "unshare"), find(path, "setpriv"),
                find(path, "ip").or(() -> find(SBIN, "ip")));
    }

    Path socatForForwards() {
        return socat.orElseThrow(() -> new VmException("socat was not found on the PATH; guest forwards and the"
                + " relays to a VM's ports run it. Install it with: apt-get install socat"));
    }

    Path unshareForNamespaces() {
        return unshare.orElseThrow(() -> new VmException("unshare was not found on the PATH; each VM runs in a"
                + " network namespace of its own. Install it with: apt-get install util-linux"));
    }

    Path setprivForRelays() {
        return setpriv.orElseThrow(() -> new VmException("setpriv was not found on the PATH; it ends a VM's relays"
                + " with its QEMU. Install it with: apt-get install util-linux"));
    }

    Path ipForNamespaces() {
        return ip.orElseThrow(() -> new VmException("ip was not found on the PATH nor in /usr/sbin; it brings up a VM's"
                + " network namespace. Install it with: apt-get install iproute2"));
    }

    private static Optional<Path> find(String path, String program) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
