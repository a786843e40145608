package io.i2kit.bootstrap.kernel;

import io.i2kit.I2kitException;
import io.i2kit.bootstrap.image.FsNode;
import io.i2kit.bootstrap.image.LayerWriter;
import io.i2kit.bootstrap.image.RootFs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns an unpacked Debian kernel package into LinuxKit's kernel package layout: {@code /kernel}
 * (the vmlinuz) and {@code /kernel.tar} (the tree {@code lib/modules/<release>/} with the chosen
 * modules, their {@code modules.dep} and {@code i2kit.load}, the insmod order i2kit's init follows).
 */
public final class KernelLayout {
    private KernelLayout() {
    }

    /** The image tree and what went into it. */
    public record Result(RootFs tree, String release, ModuleSet modules) {
    }

    public static Result build(RootFs unpacked, List<String> required, List<String> optional) {
        List<String> kernels = unpacked.under("boot").keySet().stream().filter(p -> p.startsWith("boot/vmlinuz-")).sorted().toList();
        if (kernels.size() != 1) {
            throw new I2kitException("expected one boot/vmlinuz-* in the kernel package, found " + kernels.size() + " " + kernels
                    + "; list exactly one linux-image package in the kernel recipe");
        }
        String release = kernels.get(0).substring("boot/vmlinuz-".length());
        String base = "lib/modules/" + release;
        Map<String, String> paths = new HashMap<>();
        Map<String, ModInfo> infos = new HashMap<>();
        for (Map.Entry<String, FsNode> e : unpacked.under(base).entrySet()) {
            if (e.getKey().endsWith(".ko") && e.getValue().type() == FsNode.Type.FILE) {
                String file = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
                ModInfo info;
                try {
                    info = ModInfo.read(e.getValue().content(), file.substring(0, file.length() - 3));
                } catch (IllegalArgumentException bad) {
                    throw new I2kitException("cannot read kernel module " + e.getKey() + ": " + bad.getMessage(), bad);
                }
                paths.put(info.name(), e.getKey().substring(base.length() + 1));
                infos.put(info.name(), info);
            }
        }
        Set<String> builtins = unpacked.get(base + "/modules.builtin")
                .map(n -> new String(n.content(), StandardCharsets.UTF_8)).stream()
                .flatMap(text -> Arrays.stream(text.split("\n")))
                .filter(l -> !l.isBlank())
                .map(l -> ModInfo.canonical(l.substring(l.lastIndexOf('/') + 1).replaceAll("\\.ko.*$", "")))
                .collect(Collectors.toSet());
        ModuleSet modules = ModuleSet.select(paths, infos, builtins, required, optional);

        RootFs modulesTree = new RootFs();
        for (String m : modules.order()) {
            String relative = modules.paths().get(m);
            FsNode ko = unpacked.get(base + "/" + relative).orElseThrow();
            modulesTree.put(base + "/" + relative, ko);
        }
        unpacked.get(base + "/modules.builtin").ifPresent(n -> modulesTree.put(base + "/modules.builtin", n));
        modulesTree.put(base + "/modules.dep", FsNode.file(0644, modules.modulesDep().getBytes(StandardCharsets.UTF_8)));
        modulesTree.put(base + "/i2kit.load", FsNode.file(0644, modules.loadList().getBytes(StandardCharsets.UTF_8)));

        RootFs image = new RootFs();
        image.put("kernel", unpacked.get(kernels.get(0)).orElseThrow().withMode(0644));
        image.put("kernel.tar", FsNode.file(0644, LayerWriter.tar(modulesTree)));
        return new Result(image, release, modules);
    }
}
