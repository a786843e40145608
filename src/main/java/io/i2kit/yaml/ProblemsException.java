package io.i2kit.yaml;

import io.i2kit.ProblemReportException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error found in one file, reported at once: one compiler-style line per problem, then a
 * count ({@code 3 errors in i2kit.yml}). Warnings found alongside are shown too, for context.
 */
public class ProblemsException extends ProblemReportException {
    private final List<Problem> problems;

    public ProblemsException(String file, List<Problem> problems) {
        super(format(file, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(String file, List<Problem> problems) {
        long errors = problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"))
                + "\n" + errors + (errors == 1 ? " error in " : " errors in ") + file;
    }
}
