package io.i2kit;

/**
 * A place in an input file, 1-based as editors show it: line 0 when only the file is known, column 0
 * when only the line is. An interface so that errors can carry a position without the root package
 * depending on the YAML reader, whose {@code yaml.Position} is the one implementation.
 */
public interface SourcePosition {
    String file();

    int line();

    int column();

    /** {@code file:line:column}, {@code file:line} or {@code file}: how compilers and editors name the place. */
    default String where() {
        return line() <= 0 ? file() : column() <= 0 ? file() + ":" + line() : file() + ":" + line() + ":" + column();
    }
}
