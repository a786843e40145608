package io.i2kit.manifest;

import static io.i2kit.yaml.Binder.child;
import static io.i2kit.yaml.Binder.describe;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the kinds of value that manifests spell their own way (commands, environments, durations,
 * memory sizes) through a {@link Binder}, which reports their problems with the others.
 */
final class ValueReader {
    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*(Ki|Mi|Gi|K|M|G|KB|MB|GB|KiB|MiB|GiB)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB|TiB|Ki|Mi|Gi|Ti|K|M|G|T|KB|MB|GB|TB)?");

    private final Binder in;

    ValueReader(Binder in) {
        this.in = in;
    }

    /** A command line: a list of strings, or one string split on blanks as compose does for simple cases. */
    List<String> command(Mapping m, String key, String path) {
        return in.value(m, key, path).map(n -> {
            if (n instanceof Scalar s) {
                return CommandLine.split(s.value());
            }
            return in.stringList(n, child(path, key));
        }).orElse(List.of());
    }

    /** Environment as a map, or as a list of {@code KEY=VALUE}; scalars of any type become strings. */
    Map<String, String> environment(Mapping m, String key, String path) {
        Map<String, String> env = new LinkedHashMap<>();
        in.value(m, key, path).ifPresent(n -> {
            String p = child(path, key);
            if (n instanceof Mapping map) {
                map.entries().forEach((k, v) -> {
                    in.record(child(p, k), v);
                    if (v instanceof Scalar s) {
                        env.put(k, s.isNull() ? "" : s.value());
                    } else {
                        in.error(v, child(p, k), "expected a string value, found " + describe(v));
                    }
                });
            } else if (n instanceof Sequence seq) {
                for (int i = 0; i < seq.items().size(); i++) {
                    YamlNode item = seq.items().get(i);
                    String itemPath = Binder.item(p, i);
                    in.record(itemPath, item);
                    in.string(item, itemPath).ifPresent(entry -> {
                        int eq = entry.indexOf('=');
                        if (eq <= 0) {
                            in.error(item, itemPath, "expected KEY=VALUE, found \"" + entry + "\"");
                        } else {
                            env.put(entry.substring(0, eq), entry.substring(eq + 1));
                        }
                    });
                }
            } else {
                in.error(n, p, "expected a map or a list of KEY=VALUE, found " + describe(n));
            }
        });
        return env;
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
    Optional<Duration> duration(Mapping m, String key, String path, Duration min, Duration max) {
        return in.value(m, key, path).flatMap(n -> {
            Optional<Duration> parsed = n instanceof Scalar s ? Durations.parse(s.value()) : Optional.empty();
            if (parsed.isEmpty()) {
                in.error(n, child(path, key), "expected a duration such as 10s, 500ms or 2m, found " + describe(n));
                return Optional.empty();
            }
            Duration d = parsed.get();
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                in.error(n, child(path, key), "expected a duration from " + Durations.format(min) + " to "
                        + Durations.format(max) + ", found " + Durations.format(d));
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    /** A size in bytes: a number with a unit (512MiB, 1GiB, 1G, 100M); a bare number is GiB. */
    Optional<Long> bytes(YamlNode n, String path, long min, long max) {
        Matcher match = n instanceof Scalar s ? SIZE.matcher(s.value().trim()) : null;
        if (match == null || !match.matches() || match.group(1).length() > 12) {
            in.error(n, path, "expected a size such as 512MiB or 1GiB, found " + describe(n));
            return Optional.empty();
        }
        long amount = Long.parseLong(match.group(1));
        String unit = match.group(2) == null ? "G" : match.group(2).substring(0, 1).toUpperCase(java.util.Locale.ROOT);
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            case "T" -> 40;
            default -> 30;
        };
        // compared before the shift, which would wrap (2^24 + 1 TiB is 1 TiB once shifted)
        if (amount > max >> shift || amount << shift < min) {
            in.error(n, path, "expected a size from " + (min >> 20) + "MiB to " + (max >> 30) + "GiB, found " + s(n));
            return Optional.empty();
        }
        return Optional.of(amount << shift);
    }

    private static String s(YamlNode n) {
        return ((Scalar) n).value().trim();
    }

    /** Memory in MiB: a bare number of MiB, or a number with a unit (256M, 256Mi, 1G, 1Gi). */
    Optional<Integer> memoryMiB(Mapping m, String key, String path, int min, int max) {
        return in.value(m, key, path).flatMap(n -> {
            Matcher match = n instanceof Scalar s ? MEMORY.matcher(s.value().trim()) : null;
            if (match == null || !match.matches() || match.group(1).length() > 12) {
                in.error(n, child(path, key), "expected memory such as 256M or 1G, found " + describe(n));
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
                in.error(n, child(path, key), "expected memory from " + min + "M to " + max + "M, found " + mib + "M");
                return Optional.empty();
            }
            return Optional.of((int) mib);
        });
    }
}
