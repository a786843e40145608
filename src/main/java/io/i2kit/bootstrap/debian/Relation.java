package io.i2kit.bootstrap.debian;

import java.util.Optional;

/**
 * One package a relation field names, with an optional version constraint: {@code libc6 (>= 2.34)}.
 * An architecture qualifier ({@code python3:any}) is dropped; i2kit resolves for amd64 only.
 */
public record Relation(String name, Optional<String> operator, Optional<DebVersion> version) {
    public static Relation parse(String text) {
        String t = text.strip();
        Optional<String> op = Optional.empty();
        Optional<DebVersion> version = Optional.empty();
        int paren = t.indexOf('(');
        if (paren >= 0) {
            int close = t.indexOf(')', paren);
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced parenthesis in relation \"" + text + "\"");
            }
            String constraint = t.substring(paren + 1, close).strip();
            int k = 0;
            while (k < constraint.length() && "<>=".indexOf(constraint.charAt(k)) >= 0) {
                k++;
            }
            String operator = constraint.substring(0, k);
            if (!java.util.Set.of("<<", "<=", "=", ">=", ">>").contains(operator)) {
                throw new IllegalArgumentException("unknown version operator \"" + operator + "\" in relation \"" + text + "\"");
            }
            op = Optional.of(operator);
            version = Optional.of(DebVersion.parse(constraint.substring(k)));
            t = t.substring(0, paren).strip();
        }
        int bracket = t.indexOf('[');
        if (bracket >= 0) {
            t = t.substring(0, bracket).strip();
        }
        int colon = t.indexOf(':');
        String name = colon >= 0 ? t.substring(0, colon) : t;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty package name in relation \"" + text + "\"");
        }
        return new Relation(name, op, version);
    }

    /** Whether {@code candidate} (a package's or a Provides entry's version, empty when unversioned) meets the constraint. */
    public boolean satisfiedBy(Optional<DebVersion> candidate) {
        if (operator.isEmpty()) {
            return true;
        }
        if (candidate.isEmpty()) {
            return false; // an unversioned Provides never satisfies a versioned dependency
        }
        int c = candidate.get().compareTo(version.orElseThrow());
        return switch (operator.get()) {
            case "<<" -> c < 0;
            case "<=" -> c <= 0;
            case "=" -> c == 0;
            case ">=" -> c >= 0;
            case ">>" -> c > 0;
            default -> throw new IllegalStateException(operator.get());
        };
    }

    @Override
    public String toString() {
        return name + operator.map(o -> " (" + o + " " + version.orElseThrow() + ")").orElse("");
    }
}
