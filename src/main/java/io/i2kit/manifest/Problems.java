package io.i2kit.manifest;

import io.i2kit.yaml.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a manifest is read and checked, so that all are reported together. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public static Problems of(List<Problem> found) {
        Problems problems = new Problems();
        problems.list.addAll(found);
        return problems;
    }

    public void error(Position at, String path, String message) {
        list.add(new Problem(Problem.Severity.ERROR, at, path, message));
    }

    public void warning(Position at, String path, String message) {
        list.add(new Problem(Problem.Severity.WARNING, at, path, message));
    }

    /** How many problems (of either severity) have been reported so far. */
    int count() {
        return list.size();
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
    }

    /** Problems in file order, which is the order a user fixes them in. */
    public List<Problem> sorted() {
        return list.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.position().line())
                        .thenComparingInt(p -> p.position().column()))
                .toList();
    }

    public List<Problem> warnings() {
        return sorted().stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }

    /** Throws every problem (warnings included, for context) when there is at least one error. */
    public void throwIfErrors(String file) {
        if (hasErrors()) {
            throw new ManifestException(file, sorted());
        }
    }
}
