package io.i2kit.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import io.i2kit.linuxkit.ContainerTemplate;
import io.i2kit.oci.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The OCI runtime spec ({@code config.json}) and LinuxKit's {@code runtime.json} of one onboot or
 * service container (already merged over its image label, see {@link ContainerTemplate#over}),
 * derived as LinuxKit derives them: the YAML's command, env, cwd and user
 * replace the image's; the host's network, IPC and UTS namespaces; new PID and mount namespaces;
 * LinuxKit's default mounts plus the binds, sorted by destination. Capabilities are exactly the
 * rendered list. Written with sorted keys so the same inputs give the same bytes.
 */
public final class BundleSpec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** Docker's defaults: kernel interfaces a container has no business reading or writing. */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
            "/sys/firmware");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private BundleSpec() {
    }

    /** {@code config.json} for {@code container}, whose image has {@code image}'s config. */
    public static String config(ContainerTemplate container, ImageConfig image) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("ociVersion", "1.0.2");
        spec.set("process", process(container, image));
        ObjectNode root = spec.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", container.readonly().orElse(false));
        ArrayNode mounts = spec.putArray("mounts");
        mounts(container).values().forEach(mounts::add);
        ObjectNode linux = spec.putObject("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        if (container.pid().filter(p -> p.equals("host")).isEmpty()) {
            namespaces.addObject().put("type", "pid");
        }
        if (container.net().filter(n -> n.equals("new") || n.equals("none")).isPresent()) {
            namespaces.addObject().put("type", "network");
        }
        namespaces.addObject().put("type", "mount");
        linux.putObject("resources");
        MASKED_PATHS.forEach(linux.putArray("maskedPaths")::add);
        READONLY_PATHS.forEach(linux.putArray("readonlyPaths")::add);
        return write(spec);
    }

    private static ObjectNode process(ContainerTemplate c, ImageConfig image) {
        ObjectNode process = JSON.createObjectNode();
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        String[] ids = user(c, image);
        user.put("uid", id(ids[0], "uid", c.name()));
        user.put("gid", id(ids[1], "gid", c.name()));
        List<String> args = c.command().orElseGet(() -> concat(image.entrypoint(), image.cmd()));
        if (args.isEmpty()) {
            throw new I2kitException("container " + c.name() + " has no command: its image defines neither an "
                    + "entrypoint nor a cmd; set command in the manifest");
        }
        args.forEach(process.putArray("args")::add);
        c.env().orElse(image.env()).forEach(process.putArray("env")::add);
        process.put("cwd", c.cwd().or(image::workingDir).filter(w -> !w.isEmpty()).orElse("/"));
        ObjectNode caps = process.putObject("capabilities");
        List<String> effective = capabilities(c.capabilities().orElse(List.of()));
        List<String> sorted = new ArrayList<>(new TreeSet<>(effective));
        sorted.forEach(caps.putArray("bounding")::add);
        effective.forEach(caps.putArray("effective")::add);
        sorted.forEach(caps.putArray("inheritable")::add);
        sorted.forEach(caps.putArray("permitted")::add);
        caps.putArray("ambient");
        return process;
    }

    static List<String> capabilities(List<String> rendered) {
        if (rendered.size() == 1 && rendered.get(0).equalsIgnoreCase("all")) {
            return io.i2kit.manifest.ManifestValidator.CAPABILITIES.stream().sorted().map(c -> "CAP_" + c).toList();
        }
        if (rendered.size() == 1 && rendered.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        return rendered;
    }

    /** The YAML's uid/gid win over the image's {@code user} ("uid[:gid]"), as in LinuxKit. */
    private static String[] user(ContainerTemplate c, ImageConfig image) {
        String[] fromImage = image.user().filter(u -> !u.isEmpty()).map(u -> u.split(":", 2)).orElse(new String[] {"0"});
        String uid = c.uid().orElse(fromImage[0]);
        String gid = c.gid().orElse(fromImage.length > 1 ? fromImage[1] : c.uid().isPresent() ? uid : "0");
        return new String[] {uid, gid};
    }

    private static long id(String value, String what, String container) {
        if (value.equals("root")) {
            return 0;
        }
        if (!value.matches("\\d{1,10}")) {
            throw new I2kitException("container " + container + ": " + what + " \"" + value + "\" is a name; "
                    + "i2kit needs a numeric id (write user: \"1000:1000\")");
        }
        return Long.parseLong(value);
    }

    /** LinuxKit's default mounts, then the binds; keyed (and so sorted) by destination. */
    static Map<String, ObjectNode> mounts(ContainerTemplate c) {
        Map<String, ObjectNode> mounts = new TreeMap<>();
        List<String> dev = new ArrayList<>(List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        List<String> sys = new ArrayList<>(List.of("nosuid", "noexec", "nodev"));
        if (c.readonly().orElse(false)) {
            dev.add("ro");
            sys.add("ro");
        }
        mounts.put("/proc", mount("/proc", "proc", "proc", List.of("nosuid", "nodev", "noexec", "relatime")));
        mounts.put("/dev", mount("/dev", "tmpfs", "tmpfs", dev));
        mounts.put("/dev/pts", mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")));
        mounts.put("/sys", mount("/sys", "sysfs", "sysfs", sys));
        mounts.put("/sys/fs/cgroup", mount("/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        for (String t : c.tmpfs()) {
            String[] parts = t.split(":", 2);
            mounts.put(parts[0], mount(parts[0], "tmpfs", "tmpfs",
                    parts.length > 1 ? List.of(parts[1].split(",")) : List.of()));
        }
        for (String bind : c.binds().orElse(List.of())) {
            String[] parts = bind.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw new I2kitException("container " + c.name() + ": cannot read bind \"" + bind
                        + "\"; expected /source:/destination[:options]");
            }
            List<String> options = new ArrayList<>();
            if (parts.length == 3) {
                options.addAll(List.of(parts[2].split(",")));
                options.add("rbind");
            } else {
                options.addAll(List.of("rw", "rbind", "rshared"));
            }
            mounts.put(parts[1], mount(parts[1], "bind", parts[0], options));
        }
        return mounts;
    }

    private static ObjectNode mount(String destination, String type, String source, List<String> options) {
        ObjectNode m = JSON.createObjectNode();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        options.forEach(m.putArray("options")::add);
        return m;
    }

    /**
     * LinuxKit's {@code runtime.json} for a bundle at {@code prefix} (e.g.
     * {@code containers/services/web}): a writable container's root is an overlay of {@code lower/}
     * and a tmpfs, mounted by the init before the container starts; a read-only one is bound as is.
     */
    public static String runtime(String prefix, boolean readonly) {
        ObjectNode runtime = JSON.createObjectNode();
        ArrayNode mounts = runtime.putArray("mounts");
        if (readonly) {
            ObjectNode bind = mounts.addObject();
            bind.put("source", "/" + prefix + "/rootfs");
            bind.put("destination", "/" + prefix + "/rootfs");
            bind.putArray("options").add("bind");
        } else {
            String tmp = "/" + prefix + "/tmp";
            mounts.addObject().put("source", "tmpfs").put("type", "tmpfs").put("destination", tmp);
            ObjectNode remount = mounts.addObject().put("destination", tmp);
            remount.putArray("options").add("remount").add("private");
            ObjectNode overlay = mounts.addObject().put("source", "overlay").put("type", "overlay")
                    .put("destination", "/" + prefix + "/rootfs");
            overlay.putArray("options").add("lowerdir=/" + prefix + "/lower").add("upperdir=" + tmp + "/upper")
                    .add("workdir=" + tmp + "/work");
        }
        return write(runtime);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
