package io.i2kit.linuxkit;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The explicit capability list of a pod container: Docker's default set without NET_RAW, plus what
 * the manifest adds, minus what it drops. The paper's prototype granted everything; i2kit grants
 * {@code all} only when a manifest asks for ALL.
 *
 * <p>NET_RAW is left out because pod containers share the VM's network: with raw packet sockets
 * (AF_PACKET) a container could send frames to the instance metadata service past the route that
 * closes it (docs/aws.md), and read the role's credentials in the answers. The init lets every group
 * open ICMP echo sockets (net.ipv4.ping_group_range), which iputils' ping uses without NET_RAW.
 */
final class Capabilities {
    static final List<String> DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP");

    private Capabilities() {
    }

    static List<String> of(List<String> add, List<String> drop) {
        Set<String> added = normalise(add);
        Set<String> dropped = normalise(drop);
        if (added.contains("CAP_ALL") && dropped.isEmpty()) {
            return List.of("all");
        }
        Set<String> caps = new LinkedHashSet<>(dropped.contains("CAP_ALL") ? List.of() : DEFAULT);
        for (String cap : added) {
            if (!cap.equals("CAP_ALL")) {
                caps.add(cap);
            }
        }
        caps.removeAll(dropped);
        return List.copyOf(caps);
    }

    private static Set<String> normalise(List<String> caps) {
        Set<String> out = new LinkedHashSet<>();
        for (String cap : caps) {
            String upper = cap.toUpperCase(Locale.ROOT);
            out.add(upper.startsWith("CAP_") ? upper : "CAP_" + upper);
        }
        return out;
    }
}
