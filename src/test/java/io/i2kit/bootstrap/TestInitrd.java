package io.i2kit.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Assembles a pod VM's initrd from this machine's tools, standing in for the image builder: i2kit's
 * init files, busybox-static with its applet links, runc or crun with the libraries ldd names, kernel
 * modules with the i2kit.load the builder writes, and OCI bundles.
 */
public final class TestInitrd {
    static final Path INIT_FILES = Path.of("src/main/resources/io/i2kit/bootstrap/init-files");
    static final Path BUSYBOX = Path.of("/bin/busybox");

    private final Path root;

    public TestInitrd(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    TestInitrd withInitFiles() throws IOException {
        run("cp", "-a", INIT_FILES + "/.", root.toString());
        return this;
    }

    /** /bin/busybox and a link per applet, as the bootstrap lays them out. */
    public TestInitrd withBusybox() throws IOException {
        copy(BUSYBOX, "bin/busybox");
        for (String applet : run("/bin/busybox", "--list-full").split("\n")) {
            Path link = root.resolve(applet);
            if (!applet.isBlank() && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
        }
        return this;
    }

    /** An OCI runtime (runc or crun) at /usr/bin/NAME and every library it links, at the paths ldd gives. */
    TestInitrd withRuntime(String name) throws IOException {
        Path binary = Path.of(run("sh", "-c", "command -v " + name).trim()).toRealPath();
        copy(binary, "usr/bin/" + name);
        for (String line : run("ldd", binary.toString()).split("\n")) {
            String[] words = line.trim().split("\\s+");
            String library = words.length >= 3 && words[1].equals("=>") ? words[2] : words[0];
            if (library.startsWith("/") && !Files.exists(root.resolve(library.substring(1)))) {
                copy(Path.of(library).toRealPath(), library.substring(1));
            }
        }
        return this;
    }

    /** The modules (and their dependencies) with i2kit.load in load order, and modules.dep. */
    public TestInitrd withModules(KernelModules modules, String... names) throws IOException {
        Path source = Path.of(".tools/kernel/lib/modules").resolve(modules.version());
        Path target = root.resolve("lib/modules").resolve(modules.version());
        List<String> order = modules.loadOrder(names);
        for (String module : order) {
            copy(source.resolve(module), root.relativize(target).resolve(module).toString());
        }
        Files.copy(source.resolve("modules.builtin"), target.resolve("modules.builtin"));
        Files.writeString(target.resolve("i2kit.load"), String.join("\n", order) + "\n");
        run("/bin/busybox", "depmod", "-b", root.toString(), modules.version());
        return this;
    }

    TestInitrd withBundle(String kind, String directory, TestBundle bundle) throws IOException {
        bundle.writeTo(Files.createDirectories(root.resolve("containers").resolve(kind).resolve(directory)), BUSYBOX);
        return this;
    }

    /**
     * Lets the init keep the initramfs as its root (a bind mount) instead of copying it into a
     * tmpfs, as the image builder allows when no container holds CAP_SYS_ADMIN.
     */
    TestInitrd withoutRootCopy() throws IOException {
        Files.createDirectories(root.resolve("etc/i2kit"));
        Files.writeString(root.resolve("etc/i2kit/no-root-copy"), "");
        return this;
    }

    /** Compiles a C source of the test resources into a static binary (gcc, libc6-dev). */
    static Path compileStatic(String resource, Path dir) throws IOException {
        Path source = dir.resolve(resource);
        try (var in = TestInitrd.class.getResourceAsStream(resource)) {
            Files.copy(java.util.Objects.requireNonNull(in, resource), source);
        }
        Path binary = dir.resolve(resource.replace(".c", ""));
        run("gcc", "-static", "-O2", "-o", binary.toString(), source.toString());
        return binary;
    }

    /** Writes the gzip newc cpio archive of the tree, owned by root. */
    public Path writeTo(Path initrd) throws IOException {
        run("sh", "-c", "cd \"$0\" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -6 > \"$1\"",
                root.toString(), initrd.toAbsolutePath().toString());
        return initrd;
    }

    private void copy(Path source, String target) throws IOException {
        Path to = root.resolve(target);
        Files.createDirectories(to.getParent());
        Files.copy(source, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** Runs a tool and returns its standard output; fails with its output if it fails. */
    static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            process.destroyForcibly();
        }
    }
}
