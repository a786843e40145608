package io.i2kit.cli;

import io.i2kit.manifest.Manifest;
import io.i2kit.yaml.Problem;

/** Shows a manifest's warnings (for example, fields an importer had to ignore) on stderr. */
final class Warnings {
    private Warnings() {
    }

    static void print(EventRenderer events, Manifest manifest) {
        for (Problem p : manifest.warnings()) {
            events.problem(p.toString());
        }
    }
}
