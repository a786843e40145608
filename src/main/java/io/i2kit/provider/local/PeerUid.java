package io.i2kit.provider.local;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;

/**
 * Whether a Unix socket's client runs as this process's effective uid, compared by number.
 *
 * <p>Names are no identity: the JDK names a uid without a passwd entry by its number, while its
 * {@code user.name} for such a process is {@code "?"} (and {@code -Duser.name} overrides it), and
 * several names may share a uid. Java 17 gives a peer's {@code SO_PEERCRED} only as a
 * {@link UserPrincipal}, with no accessor for the uid; but the JDK builds that principal from the
 * kernel's number ({@code UnixUserPrincipals.fromUid}), exactly as it builds a file's owner from
 * {@code st_uid}, and those principals are equal when, and only when, their uids are. So this
 * process's uid is read as a number from {@code /proc/self/status}, the owner principal of
 * {@code /proc/self} (whose owner is that uid) is taken in the same {@code stat} as its numeric
 * {@code unix:uid}, and a peer is accepted when its principal equals that one. Anything else (an
 * option the platform lacks, a principal of another kind) refuses the peer.
 */
final class PeerUid {
    private final int uid;
    private final UserPrincipal principal;

    private PeerUid(int uid, UserPrincipal principal) {
        this.uid = uid;
        this.principal = principal;
    }

    /** This process, as the kernel reports it to the server of a socket it connects to. */
    static PeerUid self() throws IOException {
        int effective = effectiveUid();
        Map<String, Object> proc = Files.readAttributes(Path.of("/proc/self"), "unix:uid,owner");
        if (!Integer.valueOf(effective).equals(proc.get("uid"))) {
            // /proc/self belongs to root when the process is not dumpable: no principal of ours to compare with.
            throw new IOException("cannot tell this process's uid: it runs as uid " + effective
                    + " but /proc/self belongs to uid " + proc.get("uid"));
        }
        return new PeerUid(effective, (UserPrincipal) proc.get("owner"));
    }

    /** The effective uid (the second field of {@code Uid:}), which is what {@code SO_PEERCRED} reports. */
    static int effectiveUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid line in /proc/self/status");
    }

    int uid() {
        return uid;
    }

    /** Whether {@code client}'s process ran as this uid when it connected. */
    boolean isPeerOf(SocketChannel client) {
        return peer(client).map(principal::equals).orElse(false);
    }

    /** The peer's user for messages: its name, or its uid when it has none (the JDK's fallback). */
    static String describe(SocketChannel client) {
        return peer(client).map(UserPrincipal::getName).orElse("an unknown user");
    }

    private static Optional<UserPrincipal> peer(SocketChannel client) {
        try {
            return Optional.of(client.getOption(ExtendedSocketOptions.SO_PEERCRED).user());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
