package io.i2kit.cli;

import io.i2kit.yaml.Problem;
import java.util.List;

/**
 * Shows a manifest's warnings on stderr: fields an importer had to ignore, and what the semantic
 * checks found harmless but worth knowing.
 */
final class Warnings {
    private Warnings() {
    }

    static void print(EventRenderer events, List<Problem> warnings) {
        for (Problem p : warnings) {
            events.problem(p.toString());
        }
    }
}
