package io.i2kit.provider.local.vm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host programs a VM needs, found once on a {@code PATH} and then run by absolute path, so
 * nothing depends on the environment of whoever starts the VM later.
 *
 * @param busybox runs {@code nc} for forwards to TCP targets
 * @param socat   runs forwards to Unix-socket targets (busybox's nc cannot connect to one)
 */
record HostTools(Path qemu, Optional<Path> busybox, Optional<Path> socat) {
    static final String QEMU = "qemu-system-x86_64";

    static HostTools onPath(String path) {
        Path qemu = find(path, QEMU).orElseThrow(() -> new VmException(QEMU + " was not found on the PATH (" + path
                + "); the local provider runs every VM with it. Install it with: apt-get install qemu-system-x86"));
        return new HostTools(qemu, find(path, "busybox"), find(path, "socat"));
    }

    Path busyboxForForwards() {
        return busybox.orElseThrow(() -> new VmException("busybox was not found on the PATH; guest forwards to TCP"
                + " load balancers run its nc. Install it with: apt-get install busybox-static"));
    }

    Path socatForForwards() {
        return socat.orElseThrow(() -> new VmException("socat was not found on the PATH; guest forwards to Unix-socket"
                + " load balancers (private services) run it. Install it with: apt-get install socat"));
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
