package io.i2kit.bootstrap.debian;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** One comma-separated item of a Depends field: alternatives, the first one available wins ({@code a | b}). */
public record Dependency(List<Relation> alternatives) {
    public Dependency {
        alternatives = List.copyOf(alternatives);
    }

    /** Parses a whole Depends/Pre-Depends/Provides field. */
    public static List<Dependency> parseField(String field) {
        if (field == null || field.isBlank()) {
            return List.of();
        }
        return Arrays.stream(field.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(item -> new Dependency(Arrays.stream(item.split("\\|")).map(Relation::parse).toList()))
                .toList();
    }

    @Override
    public String toString() {
        return alternatives.stream().map(Relation::toString).collect(Collectors.joining(" | "));
    }
}
