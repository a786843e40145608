package io.i2kit.yaml;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A YAML value with the position it was read from; aliases are resolved to shared nodes. */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {
    Position position();

    /** What a user calls this kind of value, for "expected a map, found a list" messages. */
    String kind();

    /** A scalar; {@code plain} is false for quoted or block scalars, which are always strings. */
    record Scalar(String value, boolean plain, Position position) implements YamlNode {
        public boolean isNull() {
            return plain && (value.isEmpty() || value.equals("~") || value.equals("null") || value.equals("Null") || value.equals("NULL"));
        }

        @Override
        public String kind() {
            return isNull() ? "null" : "a scalar";
        }
    }

    record Sequence(List<YamlNode> items, Position position) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping whose keys are strings, in document order; {@code keyPositions} says where each key stands. */
    record Mapping(Map<String, YamlNode> entries, Map<String, Position> keyPositions, Position position) implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
            keyPositions = Map.copyOf(keyPositions);
        }

        public Optional<YamlNode> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public Position keyPosition(String key) {
            return keyPositions.getOrDefault(key, position);
        }

        @Override
        public String kind() {
            return "a map";
        }
    }
}
