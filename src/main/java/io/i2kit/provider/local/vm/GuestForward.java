package io.i2kit.provider.local.vm;

import java.nio.file.Path;

/**
 * A virtual address:port inside a VM's user-mode network whose connections QEMU hands to a
 * command on the host, one command per connection, which pipes them to {@code target}. This is how
 * a VM reaches other services' load balancers by name without any host-side routing.
 */
public record GuestForward(String guestIp, int guestPort, Target target) {
    public GuestForward {
        if (!guestIp.matches("10\\.0\\.2\\.\\d{1,3}")) {
            throw new IllegalArgumentException("guest address " + guestIp + " is outside QEMU's user network 10.0.2.0/24");
        }
        if (guestPort < 1 || guestPort > 65_535) {
            throw new IllegalArgumentException("guest port " + guestPort + " is out of range");
        }
    }

    /** Where a forwarded connection goes on the host. */
    public sealed interface Target permits UnixSocket {
    }

    /**
     * A Unix socket: every load balancer listens on one for the VMs (public ones also on 127.0.0.1
     * for everyone else). The VM's forward commands run in its own network namespace, where the
     * host's loopback does not exist, so a socket file is the only way out, and only the owner's.
     */
    public record UnixSocket(Path path) implements Target {
        /** The kernel's limit for {@code sun_path}, terminating NUL included. */
        static final int MAX_PATH_BYTES = 107;

        public UnixSocket {
            path = path.toAbsolutePath();
            String text = path.toString();
            // The path passes through QEMU's option parser, GLib's argv splitting and socat's
            // address syntax; refusing their special characters is simpler than quoting for all three.
            if (!text.matches("[A-Za-z0-9/._+@-]+")) {
                throw new IllegalArgumentException("Unix socket path " + text
                        + " has characters a guest forward cannot carry; use letters, digits and / . _ + @ -");
            }
            if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("Unix socket path " + text + " is longer than "
                        + MAX_PATH_BYTES + " bytes, the most a Unix socket address holds");
            }
        }
    }
}
