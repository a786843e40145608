package io.i2kit.manifest;

import io.i2kit.yaml.Position;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of positioned YAML, recording a problem (never throwing) for each value
 * of the wrong shape and the position of each path it reads, so a reader can go on and report
 * every error at once.
 */
final class Binder {
    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*(Ki|Mi|Gi|K|M|G|KB|MB|GB|KiB|MiB|GiB)?");

    final Problems problems;
    final SourceMap sources;

    Binder(Problems problems, SourceMap sources) {
        this.problems = problems;
        this.sources = sources;
    }

    /**
     * A binder that reports to the same problems but records positions apart: importers read a
     * foreign file under its own paths, which are not the model's, and record the model's paths
     * themselves.
     */
    Binder scratch() {
        return new Binder(problems, new SourceMap(sources.file()));
    }

    void error(YamlNode at, String path, String message) {
        problems.error(at.position(), path, message);
    }

    void warning(Position at, String path, String message) {
        problems.warning(at, path, message);
    }

    void record(String path, YamlNode node) {
        sources.put(path, node.position());
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    Optional<Mapping> mapping(YamlNode node, String path) {
        record(path, node);
        if (node instanceof Mapping m) {
            return Optional.of(m);
        }
        error(node, path, "expected a map, found " + describe(node));
        return Optional.empty();
    }

    /** Reports keys outside {@code allowed}, suggesting the closest allowed key when one is near. */
    void allowOnly(Mapping m, String path, Set<String> allowed) {
        for (String key : m.entries().keySet()) {
            if (!allowed.contains(key)) {
                String hint = Suggestions.closest(key, allowed).map(s -> "; did you mean \"" + s + "\"?")
                        .orElse("; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
                problems.error(m.keyPosition(key), child(path, key), "unknown key \"" + key + "\"" + hint);
            }
        }
    }

    /**
     * Warns about each key outside {@code supported}: importers never drop a field silently. An
     * empty value ({@code status: {}}, {@code resources: {}}, as {@code kubectl --dry-run} writes
     * them) asks for nothing and is passed over.
     */
    void warnUnsupported(Mapping m, String path, Set<String> supported, String format) {
        for (String key : m.entries().keySet()) {
            if (!supported.contains(key) && !isEmpty(m.entries().get(key))) {
                warning(m.keyPosition(key), child(path, key), "not supported by i2kit's " + format + " importer; ignored");
            }
        }
    }

    Optional<YamlNode> value(Mapping m, String key, String path) {
        Optional<YamlNode> node = m.get(key).filter(n -> !(n instanceof Scalar s && s.isNull()));
        node.ifPresent(n -> record(child(path, key), n));
        return node;
    }

    Optional<String> string(Mapping m, String key, String path) {
        return value(m, key, path).flatMap(n -> string(n, child(path, key)));
    }

    Optional<String> string(YamlNode node, String path) {
        if (node instanceof Scalar s) {
            return Optional.of(s.value());
        }
        error(node, path, "expected a string, found " + describe(node));
        return Optional.empty();
    }

    String required(Mapping m, String key, String path, String what) {
        Optional<YamlNode> node = value(m, key, path);
        if (node.isEmpty()) {
            problems.error(m.position(), child(path, key), "missing; expected " + what);
            return null;
        }
        return string(node.get(), child(path, key)).orElse(null);
    }

    Optional<Integer> integer(Mapping m, String key, String path, int min, int max) {
        return value(m, key, path).flatMap(n -> integer(n, child(path, key), min, max));
    }

    Optional<Integer> integer(YamlNode node, String path, int min, int max) {
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

    Optional<Boolean> bool(Mapping m, String key, String path) {
        return value(m, key, path).flatMap(n -> {
            if (n instanceof Scalar s && s.plain() && (s.value().equals("true") || s.value().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(s.value()));
            }
            error(n, child(path, key), "expected true or false, found " + describe(n));
            return Optional.empty();
        });
    }

    /** A command line: a list of strings, or one string split on blanks as compose does for simple cases. */
    List<String> command(Mapping m, String key, String path) {
        return value(m, key, path).map(n -> {
            if (n instanceof Scalar s) {
                return CommandLine.split(s.value());
            }
            return stringList(n, child(path, key));
        }).orElse(List.of());
    }

    List<String> stringList(Mapping m, String key, String path) {
        return value(m, key, path).map(n -> stringList(n, child(path, key))).orElse(List.of());
    }

    List<String> stringList(YamlNode node, String path) {
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

    /** Environment as a map, or as a list of {@code KEY=VALUE}; scalars of any type become strings. */
    Map<String, String> environment(Mapping m, String key, String path) {
        Map<String, String> env = new LinkedHashMap<>();
        value(m, key, path).ifPresent(n -> {
            String p = child(path, key);
            if (n instanceof Mapping map) {
                map.entries().forEach((k, v) -> {
                    record(child(p, k), v);
                    if (v instanceof Scalar s) {
                        env.put(k, s.isNull() ? "" : s.value());
                    } else {
                        error(v, child(p, k), "expected a string value, found " + describe(v));
                    }
                });
            } else if (n instanceof Sequence seq) {
                for (int i = 0; i < seq.items().size(); i++) {
                    YamlNode item = seq.items().get(i);
                    String itemPath = item(p, i);
                    record(itemPath, item);
                    string(item, itemPath).ifPresent(entry -> {
                        int eq = entry.indexOf('=');
                        if (eq <= 0) {
                            error(item, itemPath, "expected KEY=VALUE, found \"" + entry + "\"");
                        } else {
                            env.put(entry.substring(0, eq), entry.substring(eq + 1));
                        }
                    });
                }
            } else {
                error(n, p, "expected a map or a list of KEY=VALUE, found " + describe(n));
            }
        });
        return env;
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
    Optional<Duration> duration(Mapping m, String key, String path, Duration min, Duration max) {
        return value(m, key, path).flatMap(n -> {
            Optional<Duration> parsed = n instanceof Scalar s ? Durations.parse(s.value()) : Optional.empty();
            if (parsed.isEmpty()) {
                error(n, child(path, key), "expected a duration such as 10s, 500ms or 2m, found " + describe(n));
                return Optional.empty();
            }
            Duration d = parsed.get();
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                error(n, child(path, key), "expected a duration from " + Durations.format(min) + " to "
                        + Durations.format(max) + ", found " + Durations.format(d));
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    /** Memory in MiB: a bare number of MiB, or a number with a unit (256M, 256Mi, 1G, 1Gi). */
    Optional<Integer> memoryMiB(Mapping m, String key, String path, int min, int max) {
        return value(m, key, path).flatMap(n -> {
            Matcher match = n instanceof Scalar s ? MEMORY.matcher(s.value().trim()) : null;
            if (match == null || !match.matches() || match.group(1).length() > 12) {
                error(n, child(path, key), "expected memory such as 256M or 1G, found " + describe(n));
                return Optional.empty();
            }
            long amount = Long.parseLong(match.group(1));
            String unit = match.group(2) == null ? "M" : match.group(2).substring(0, 1);
            long mib = switch (unit) {
                case "K" -> amount / 1024;
                case "G" -> amount * 1024;
                default -> amount;
            };
            if (mib < min || mib > max) {
                error(n, child(path, key), "expected memory from " + min + "M to " + max + "M, found " + mib + "M");
                return Optional.empty();
            }
            return Optional.of((int) mib);
        });
    }

    static boolean isEmpty(YamlNode node) {
        return node instanceof Scalar s ? s.isNull()
                : node instanceof Mapping m ? m.entries().isEmpty()
                : ((Sequence) node).items().isEmpty();
    }

    static String describe(YamlNode node) {
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
