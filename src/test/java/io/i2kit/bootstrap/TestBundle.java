package io.i2kit.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A hand-written OCI bundle as the image builder lays it out: config.json, runtime.json and a
 * busybox-static root, read-only in {@code rootfs/} or writable in {@code lower/}. The container
 * shares the VM's network namespace and binds its /etc/hosts and /etc/resolv.conf.
 */
record TestBundle(String name, List<String> args, boolean writable, List<String> tmpfs, List<String> binds,
                  List<String> moreCapabilities, Map<String, Path> files) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_NET_BIND_SERVICE",
            "CAP_SETGID", "CAP_SETUID");

    TestBundle {
        args = List.copyOf(args);
        tmpfs = List.copyOf(tmpfs);
        binds = List.copyOf(binds);
        moreCapabilities = List.copyOf(moreCapabilities);
        files = Map.copyOf(files);
    }

    static TestBundle shell(String name, String script) {
        return new TestBundle(name, List.of("/bin/sh", "-c", script), false, List.of(), List.of(), List.of(), Map.of());
    }

    TestBundle withWritableRoot() {
        return new TestBundle(name, args, true, tmpfs, binds, moreCapabilities, files);
    }

    TestBundle withTmpfs(String path) {
        return new TestBundle(name, args, writable, plus(tmpfs, path), binds, moreCapabilities, files);
    }

    /** Binds a directory of the VM read-only at the same path in the container. */
    TestBundle withBind(String path) {
        return new TestBundle(name, args, writable, tmpfs, plus(binds, path), moreCapabilities, files);
    }

    TestBundle withCapability(String capability) {
        return new TestBundle(name, args, writable, tmpfs, binds, plus(moreCapabilities, capability), files);
    }

    /** Copies a file of this host into the container's root, at {@code path} (executable). */
    TestBundle withFile(String path, Path hostFile) {
        Map<String, Path> more = new java.util.HashMap<>(files);
        more.put(path, hostFile);
        return new TestBundle(name, args, writable, tmpfs, binds, moreCapabilities, more);
    }

    private static List<String> plus(List<String> list, String value) {
        return plus(list, List.of(value));
    }

    private static List<String> plus(List<String> list, List<String> values) {
        List<String> more = new java.util.ArrayList<>(list);
        more.addAll(values);
        return more;
    }

    /** Writes the bundle into dir, taking the root's busybox from the host. */
    void writeTo(Path dir, Path busybox) throws IOException {
        Path root = dir.resolve(writable ? "lower" : "rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        Files.createDirectories(root.resolve("sys"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("www"));
        Files.copy(busybox, root.resolve("bin/busybox"));
        root.resolve("bin/busybox").toFile().setExecutable(true, false);
        for (String applet : List.of("sh", "httpd", "nc", "cat", "echo", "sleep", "printf", "sed", "mv")) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Path to = root.resolve(f.getKey());
            Files.createDirectories(to.getParent());
            Files.copy(f.getValue(), to);
            to.toFile().setExecutable(true, false);
        }
        Files.writeString(root.resolve("etc/hosts"), "");
        Files.writeString(root.resolve("etc/resolv.conf"), "");
        if (writable) {
            Files.createDirectories(dir.resolve("rootfs"));
        }
        Files.writeString(dir.resolve("config.json"), config());
        Files.writeString(dir.resolve("runtime.json"), "{}");
    }

    String config() {
        ObjectNode config = JSON.createObjectNode();
        config.put("ociVersion", "1.0.2");
        ObjectNode process = config.putObject("process");
        process.put("terminal", false);
        process.putObject("user").put("uid", 0).put("gid", 0);
        strings(process.putArray("args"), args);
        strings(process.putArray("env"), List.of("PATH=/bin"));
        process.put("cwd", "/");
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(capabilities.putArray(set), plus(CAPABILITIES, moreCapabilities));
        }
        process.put("noNewPrivileges", true);
        config.putObject("root").put("path", "rootfs").put("readonly", !writable);
        ArrayNode mounts = config.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        mount(mounts, "/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777"));
        for (String path : tmpfs) {
            mount(mounts, path, "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=755"));
        }
        for (String path : binds) {
            mount(mounts, path, "bind", path, List.of("rbind", "ro"));
        }
        mount(mounts, "/etc/hosts", "bind", "/etc/hosts", List.of("rbind", "ro"));
        mount(mounts, "/etc/resolv.conf", "bind", "/etc/resolv.conf", List.of("rbind", "ro"));
        ObjectNode linux = config.putObject("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "mount")) {
            namespaces.addObject().put("type", type);
        }
        linux.put("cgroupsPath", "/i2kit/" + name);
        strings(linux.putArray("maskedPaths"), List.of("/proc/kcore", "/proc/keys", "/sys/firmware"));
        strings(linux.putArray("readonlyPaths"), List.of("/proc/sys", "/proc/sysrq-trigger"));
        return config.toPrettyString();
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination).put("type", type).put("source", source);
        strings(mount.putArray("options"), options);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
