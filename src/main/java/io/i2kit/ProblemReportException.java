package io.i2kit;

/**
 * Every problem found in one input at once, as a report: one compiler-style line per problem and a
 * count ({@code 3 errors in i2kit.yml}). The lines carry each problem's position, severity and path,
 * so they are formatted by the reader that collected them (the manifest's problems); the CLI prints
 * the report as it is.
 */
public class ProblemReportException extends InvalidInputException {
    public ProblemReportException(String report) {
        super(report);
    }
}
