package io.i2kit.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The modules of an extracted kernel package, with the dependencies each .ko declares in its
 * {@code .modinfo} section ({@code depends=a,b}): Debian's package ships no modules.dep.
 */
public final class KernelModules {
    private final Path dir;
    private final Map<String, Path> byName;

    /** @param dir {@code lib/modules/VERSION} of the extracted kernel */
    public KernelModules(Path dir) {
        this.dir = dir;
        try (Stream<Path> files = Files.walk(dir.resolve("kernel"))) {
            byName = files.filter(f -> f.getFileName().toString().endsWith(".ko"))
                    .collect(Collectors.toMap(KernelModules::nameOf, Function.identity()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        return dir.getFileName().toString();
    }

    /** The given modules and everything they need, each after its dependencies, as paths relative to dir. */
    List<String> loadOrder(String... names) {
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : names) {
            visit(name.replace('-', '_'), ordered, new LinkedHashSet<>());
        }
        List<String> paths = new ArrayList<>();
        for (String name : ordered) {
            paths.add(dir.relativize(byName.get(name)).toString());
        }
        return paths;
    }

    private void visit(String name, Set<String> ordered, Set<String> path) {
        if (ordered.contains(name)) {
            return;
        }
        if (!path.add(name)) {
            throw new IllegalStateException("module dependency cycle through " + path);
        }
        Path file = byName.get(name);
        if (file == null) {
            throw new IllegalArgumentException("no module " + name + " in " + dir + " (built in?)");
        }
        for (String dependency : dependencies(file)) {
            visit(dependency, ordered, path);
        }
        ordered.add(name);
    }

    private static List<String> dependencies(Path ko) {
        String text;
        try {
            text = new String(Files.readAllBytes(ko), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int at = text.indexOf("\0depends=");
        if (at < 0) {
            return List.of();
        }
        int start = at + "\0depends=".length();
        String value = text.substring(start, text.indexOf('\0', start));
        return value.isEmpty() ? List.of() : List.of(value.replace('-', '_').split(","));
    }

    private static String nameOf(Path ko) {
        String file = ko.getFileName().toString();
        return file.substring(0, file.length() - ".ko".length()).replace('-', '_');
    }
}
