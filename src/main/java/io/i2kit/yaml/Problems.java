package io.i2kit.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems found while a file is read and checked, so that all are reported together
 * rather than one per run.
 */
public class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Problem problem) {
        list.add(problem);
    }

    public void error(Position at, String path, String message) {
        add(new Problem(Problem.Severity.ERROR, at, path, message));
    }

    public void warning(Position at, String path, String message) {
        add(new Problem(Problem.Severity.WARNING, at, path, message));
    }

    /** How many problems (of either severity) have been reported so far. */
    public int count() {
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
    public final void throwIfErrors(String file) {
        if (hasErrors()) {
            throw failure(file, sorted());
        }
    }

    /**
     * The exception that reports {@code problems}. A reader whose callers tell its failures apart
     * by type (the manifest's) overrides this; the message stays the same.
     */
    protected ProblemsException failure(String file, List<Problem> problems) {
        return new ProblemsException(file, problems);
    }
}
