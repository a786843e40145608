package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.yaml.Problem;
import java.util.List;

/**
 * Shows a manifest's warnings on stderr: fields an importer had to ignore, and what the semantic
 * checks found harmless but worth knowing.
 */
final class Warnings {
    private Warnings() {
    }

    /** Prints them and returns them, for a command that also counts them. */
    static List<Problem> print(EventRenderer events, Pipeline.Loaded loaded) {
        List<Problem> warnings = Pipeline.warnings(loaded);
        for (Problem p : warnings) {
            events.problem(p.toString());
        }
        return warnings;
    }
}
