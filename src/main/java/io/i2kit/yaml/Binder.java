package io.i2kit.yaml;

import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values out of positioned YAML, recording a problem (never throwing) for each value
 * of the wrong shape and the position of each path it reads, so a reader can go on and report
 * every error at once. Problems name the value by its key path ({@code services.web.replicas},
 * {@code onboot[0].image}), which {@link #child} and {@link #item} build.
 */
public final class Binder {
    private final Problems problems;
    private final SourceMap sources;

    public Binder(Problems problems, SourceMap sources) {
        this.problems = problems;
        this.sources = sources;
    }

    public Problems problems() {
        return problems;
    }

    public SourceMap sources() {
        return sources;
    }

    /**
     * A binder that reports to the same problems but records positions apart: importers read a
     * foreign file under its own paths, which are not the model's, and record the model's paths
     * themselves.
     */
    public Binder scratch() {
        return new Binder(problems, new SourceMap(sources.file()));
    }

    public void error(YamlNode at, String path, String message) {
        problems.error(at.position(), path, message);
    }

    public void error(Position at, String path, String message) {
        problems.error(at, path, message);
    }

    public void warning(Position at, String path, String message) {
        problems.warning(at, path, message);
    }

    public void record(String path, YamlNode node) {
        sources.put(path, node.position());
    }

    public void record(String path, Position position) {
        sources.put(path, position);
    }

    public static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    public Optional<Mapping> mapping(YamlNode node, String path) {
        record(path, node);
        if (node instanceof Mapping m) {
            return Optional.of(m);
        }
        error(node, path, "expected a map, found " + describe(node));
        return Optional.empty();
    }

    /** The keys of {@code m} outside {@code known}, in the order they were written. */
    public static List<String> otherKeys(Mapping m, Set<String> known) {
        return m.entries().keySet().stream().filter(key -> !known.contains(key)).toList();
    }

    /** Reports keys outside {@code allowed}, suggesting the closest allowed key when one is near. */
    public void allowOnly(Mapping m, String path, Set<String> allowed) {
        for (String key : otherKeys(m, allowed)) {
            String hint = Suggestions.closest(key, allowed).map(s -> "; did you mean \"" + s + "\"?")
                    .orElse("; expected one of " + String.join(", ", new TreeSet<>(allowed)));
            problems.error(m.keyPosition(key), child(path, key), "unknown key \"" + key + "\"" + hint);
        }
    }

    /**
     * Warns about each key outside {@code supported}, saying {@code why} it is ignored: readers of
     * foreign formats never drop a field silently. An empty value ({@code status: {}},
     * {@code resources: {}}, as {@code kubectl --dry-run} writes them) asks for nothing and is passed over.
     */
    public void warnUnsupported(Mapping m, String path, Set<String> supported, String why) {
        for (String key : otherKeys(m, supported)) {
            if (!isEmpty(m.entries().get(key))) {
                warning(m.keyPosition(key), child(path, key), why + "; ignored");
            }
        }
    }

    /** The value at {@code key}; {@code key:} and {@code key: ~} count as absent, since that is what their writers mean. */
    public Optional<YamlNode> value(Mapping m, String key, String path) {
        Optional<YamlNode> node = m.get(key).filter(n -> !(n instanceof Scalar s && s.isNull()));
        node.ifPresent(n -> record(child(path, key), n));
        return node;
    }

    public Optional<String> string(Mapping m, String key, String path) {
        return value(m, key, path).flatMap(n -> string(n, child(path, key)));
    }

    public Optional<String> string(YamlNode node, String path) {
        if (node instanceof Scalar s) {
            return Optional.of(s.value());
        }
        error(node, path, "expected a string, found " + describe(node));
        return Optional.empty();
    }

    public String required(Mapping m, String key, String path, String what) {
        Optional<YamlNode> node = value(m, key, path);
        if (node.isEmpty()) {
            error(m.position(), child(path, key), "missing; expected " + what);
            return null;
        }
        return string(node.get(), child(path, key)).orElse(null);
    }

    public Optional<Integer> integer(Mapping m, String key, String path, int min, int max) {
        return value(m, key, path).flatMap(n -> integer(n, child(path, key), min, max));
    }

    public Optional<Integer> integer(YamlNode node, String path, int min, int max) {
        if (node instanceof Scalar s && s.plain() && s.value().matches("-?\\d{1,10}")) {
            long v = Long.parseLong(s.value());
            if (v < min || v > max) {
                error(node, path, "expected an integer from " + min + " to " + max + ", found " + v);
                return Optional.empty();
            }
            return Optional.of((int) v);
        }
        error(node, path, "expected an integer from " + min + " to " + max + ", found " + describe(node));
        return Optional.empty();
    }

    public Optional<Boolean> bool(Mapping m, String key, String path) {
        return value(m, key, path).flatMap(n -> {
            if (n instanceof Scalar s && s.plain() && (s.value().equals("true") || s.value().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(s.value()));
            }
            error(n, child(path, key), "expected true or false, found " + describe(n));
            return Optional.empty();
        });
    }

    public List<String> stringList(Mapping m, String key, String path) {
        return value(m, key, path).map(n -> stringList(n, child(path, key))).orElse(List.of());
    }

    public List<String> stringList(YamlNode node, String path) {
        if (!(node instanceof Sequence seq)) {
            error(node, path, "expected a list of strings, found " + describe(node));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            record(item(path, i), item);
            string(item, item(path, i)).ifPresent(out::add);
        }
        return out;
    }

    /** A map of strings to strings, such as {@code move: {usr/sbin/runc: usr/bin/runc}}. */
    public Map<String, String> stringMap(Mapping m, String key, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        value(m, key, path).flatMap(n -> mapping(n, child(path, key))).ifPresent(map ->
                map.entries().forEach((k, v) -> {
                    String p = child(child(path, key), k);
                    record(p, v);
                    if (v instanceof Scalar s && s.isNull()) {
                        error(v, p, "expected a string, found nothing");
                    } else {
                        string(v, p).ifPresent(value -> out.put(k, value));
                    }
                }));
        return out;
    }

    public static boolean isEmpty(YamlNode node) {
        return node instanceof Scalar s ? s.isNull()
                : node instanceof Mapping m ? m.entries().isEmpty()
                : ((Sequence) node).items().isEmpty();
    }

    public static String describe(YamlNode node) {
        if (node instanceof Scalar s) {
            if (s.isNull()) {
                return "nothing";
            }
            String v = s.value().length() > 40 ? s.value().substring(0, 40) + "..." : s.value();
            return "\"" + v + "\"";
        }
        return node.kind();
    }
}
