package io.i2kit.bootstrap.kernel;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.FileTree;
import io.i2kit.image.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns an unpacked Debian kernel package into LinuxKit's kernel package layout: {@code /kernel}
 * (the vmlinuz) and {@code /kernel.tar} (the tree {@code lib/modules/<release>/} with the chosen
 * modules, their {@code modules.dep}, {@code i2kit.load}, the insmod order i2kit's init follows,
 * and {@code i2kit.alias}, which devices each driver is for).
 */
public final class KernelLayout {
    private KernelLayout() {
    }

    /** The image tree and what went into it. */
    public record Result(FileTree tree, String release, ModuleSet modules) {
    }

    public static Result build(FileTree unpacked, List<String> required, List<String> optional) {
        List<String> kernels = unpacked.under("boot").keySet().stream().filter(p -> p.startsWith("boot/vmlinuz-")).sorted().toList();
        if (kernels.size() != 1) {
            throw new I2kitException("expected one boot/vmlinuz-* in the kernel package, found " + kernels.size() + " " + kernels
                    + "; list exactly one linux-image package in the kernel recipe");
        }
        String release = kernels.get(0).substring("boot/vmlinuz-".length());
        String base = "lib/modules/" + release;
        Map<String, String> paths = new HashMap<>();
        Map<String, ModInfo> infos = new HashMap<>();
        for (Map.Entry<String, Entry> e : unpacked.under(base).entrySet()) {
            if (e.getKey().endsWith(".ko") && e.getValue() instanceof RegularFile ko) {
                String file = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
                ModInfo info;
                try {
                    info = ModInfo.read(bytes(e.getKey(), ko), file.substring(0, file.length() - 3));
                } catch (IllegalArgumentException bad) {
                    throw new I2kitException("cannot read kernel module " + e.getKey() + ": " + bad.getMessage(), bad);
                }
                paths.put(info.name(), e.getKey().substring(base.length() + 1));
                infos.put(info.name(), info);
            }
        }
        Optional<RegularFile> builtin = file(unpacked, base + "/modules.builtin");
        Set<String> builtins = builtin.map(f -> new String(bytes(base + "/modules.builtin", f), StandardCharsets.UTF_8)).stream()
                .flatMap(text -> Arrays.stream(text.split("\n")))
                .filter(l -> !l.isBlank())
                .map(l -> ModInfo.canonical(l.substring(l.lastIndexOf('/') + 1).replaceAll("\\.ko.*$", "")))
                .collect(Collectors.toSet());
        ModuleSet modules = ModuleSet.select(paths, infos, builtins, required, optional);

        FileTree modulesTree = new FileTree();
        for (String m : modules.order()) {
            String path = base + "/" + modules.paths().get(m);
            RegularFile ko = file(unpacked, path).orElseThrow();
            modulesTree.addFile(path, ko.meta(), ko.content());
        }
        builtin.ifPresent(f -> modulesTree.addFile(base + "/modules.builtin", f.meta(), f.content()));
        modulesTree.addFile(base + "/modules.dep", Meta.of(0644), modules.modulesDep().getBytes(StandardCharsets.UTF_8));
        modulesTree.addFile(base + "/i2kit.load", Meta.of(0644), modules.loadList().getBytes(StandardCharsets.UTF_8));
        modulesTree.addFile(base + "/i2kit.alias", Meta.of(0644), modules.aliasList().getBytes(StandardCharsets.UTF_8));

        RegularFile vmlinuz = file(unpacked, kernels.get(0)).orElseThrow(() ->
                new I2kitException(kernels.get(0) + " in the kernel package is not a regular file"));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter.write(modulesTree, tar);
        FileTree image = new FileTree();
        image.addFile("kernel", new Meta(0644, vmlinuz.meta().uid(), vmlinuz.meta().gid()), vmlinuz.content());
        image.addFile("kernel.tar", Meta.of(0644), tar.toByteArray());
        return new Result(image, release, modules);
    }

    private static Optional<RegularFile> file(FileTree tree, String path) {
        return tree.get(path).filter(RegularFile.class::isInstance).map(RegularFile.class::cast);
    }

    private static byte[] bytes(String path, RegularFile file) {
        try (InputStream in = file.content().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new I2kitException("cannot read " + path + " of the kernel package: " + e.getMessage(), e);
        }
    }
}
