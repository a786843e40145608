package io.i2kit.cli;

import io.i2kit.manifest.Manifest;
import io.i2kit.yaml.Problem;
import java.io.PrintWriter;

/** Shows a manifest's warnings (for example, fields an importer had to ignore) on stderr. */
final class Warnings {
    private Warnings() {
    }

    static void print(PrintWriter err, Manifest manifest) {
        for (Problem p : manifest.warnings()) {
            err.println(p);
        }
        err.flush();
    }
}
