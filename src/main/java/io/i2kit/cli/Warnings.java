package io.i2kit.cli;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.yaml.Problem;

/**
 * Shows a manifest's warnings on stderr: fields an importer had to ignore, and what the semantic
 * checks found harmless but worth knowing.
 */
final class Warnings {
    private Warnings() {
    }

    static void print(EventRenderer events, Pipeline.Loaded loaded) {
        for (Problem p : Pipeline.warnings(loaded)) {
            events.problem(p.toString());
        }
    }
}
