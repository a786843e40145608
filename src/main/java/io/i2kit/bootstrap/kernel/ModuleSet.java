package io.i2kit.bootstrap.kernel;

import io.i2kit.I2kitException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The modules a VM loads: the wanted ones plus their dependency closure, in an order where every
 * module comes after the modules it depends on (what {@code insmod} needs), and the
 * {@code modules.dep} depmod would write for them (so busybox or kmod {@code modprobe} works too).
 *
 * @param paths  module name to its path relative to {@code lib/modules/<release>/}
 * @param order  module names, dependencies first
 */
public record ModuleSet(Map<String, String> paths, Map<String, ModInfo> infos, List<String> order, List<String> builtin) {
    public ModuleSet {
        paths = java.util.Collections.unmodifiableMap(new TreeMap<>(paths));
        infos = java.util.Collections.unmodifiableMap(new TreeMap<>(infos));
        order = List.copyOf(order);
        builtin = List.copyOf(builtin);
    }

    /**
     * @param available every module of the kernel: name to (relative path, modinfo)
     * @param builtins  names compiled into the kernel ({@code modules.builtin}); wanting them is no error
     * @param required  modules that must be present, as modules or built in
     * @param optional  modules taken when they exist as modules
     */
    public static ModuleSet select(Map<String, String> availablePaths, Map<String, ModInfo> available, Set<String> builtins,
                                   Collection<String> required, Collection<String> optional) {
        List<String> roots = new ArrayList<>();
        List<String> builtin = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String raw : required) {
            String m = ModInfo.canonical(raw);
            if (available.containsKey(m)) {
                roots.add(m);
            } else if (builtins.contains(m)) {
                builtin.add(m);
            } else {
                missing.add(m);
            }
        }
        if (!missing.isEmpty()) {
            throw new I2kitException("the kernel has neither a module nor a built-in driver named " + String.join(", ", missing)
                    + "; check the names against its lib/modules/*/modules.order and modules.builtin");
        }
        for (String raw : optional) {
            String m = ModInfo.canonical(raw);
            if (available.containsKey(m)) {
                roots.add(m);
            } else if (builtins.contains(m)) {
                builtin.add(m);
            }
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String root : roots.stream().sorted().toList()) {
            visit(root, available, builtins, done, new LinkedHashSet<>(), order);
        }
        Map<String, String> paths = new TreeMap<>();
        Map<String, ModInfo> infos = new TreeMap<>();
        for (String m : order) {
            paths.put(m, availablePaths.get(m));
            infos.put(m, available.get(m));
        }
        return new ModuleSet(paths, infos, order, builtin.stream().sorted().distinct().toList());
    }

    /** Depth-first, dependencies before dependents; deterministic because dependencies are visited in name order. */
    private static void visit(String m, Map<String, ModInfo> available, Set<String> builtins, Set<String> done,
                              LinkedHashSet<String> path, List<String> order) {
        if (done.contains(m)) {
            return;
        }
        if (!path.add(m)) {
            throw new I2kitException("kernel modules depend on each other in a cycle: " + String.join(" -> ", path) + " -> " + m);
        }
        ModInfo info = available.get(m);
        for (String dep : info.depends().stream().sorted().toList()) {
            if (available.containsKey(dep)) {
                visit(dep, available, builtins, done, path, order);
            } else if (!builtins.contains(dep)) {
                throw new I2kitException("kernel module " + m + " depends on " + dep + ", which the kernel package has neither as a module nor built in");
            }
        }
        path.remove(m);
        done.add(m);
        order.add(m);
    }

    /** Every module {@code m} needs, transitively, in load order. */
    public List<String> closure(String m) {
        Set<String> need = new HashSet<>();
        List<String> stack = new ArrayList<>(infos.get(m).depends());
        while (!stack.isEmpty()) {
            String d = stack.remove(stack.size() - 1);
            if (infos.containsKey(d) && need.add(d)) {
                stack.addAll(infos.get(d).depends());
            }
        }
        return order.stream().filter(need::contains).toList();
    }

    /**
     * depmod's format: {@code path: dep dep...} with every transitive dependency, the one to load
     * last first (modprobe loads the list from its end); lines in load order.
     */
    public String modulesDep() {
        StringBuilder out = new StringBuilder();
        for (String m : order) {
            List<String> deps = new ArrayList<>(closure(m));
            java.util.Collections.reverse(deps);
            out.append(paths.get(m)).append(':');
            deps.forEach(d -> out.append(' ').append(paths.get(d)));
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * {@code i2kit.alias}: {@code PATTERN PATH} per device alias of a module of the set, in load
     * order. The init loads such a driver only when a device's {@code modalias} matches, so one
     * image loads virtio on QEMU and ENA on AWS Nitro without being told where it runs.
     */
    public String aliasList() {
        StringBuilder out = new StringBuilder();
        for (String m : order) {
            infos.get(m).aliases().forEach(a -> out.append(a).append(' ').append(paths.get(m)).append('\n'));
        }
        return out.toString();
    }

    /** {@code i2kit.load}: the modules' relative paths, one per line, dependencies first. */
    public String loadList() {
        StringBuilder out = new StringBuilder();
        order.forEach(m -> out.append(paths.get(m)).append('\n'));
        return out.toString();
    }
}
