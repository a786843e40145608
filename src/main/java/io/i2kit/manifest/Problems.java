package io.i2kit.manifest;

import io.i2kit.yaml.Problem;
import java.util.List;

/**
 * The problems of a manifest (or an environment file): collected like any file's, thrown as a
 * {@link ManifestException} so that callers and {@code --debug} tell a manifest's errors apart.
 */
public final class Problems extends io.i2kit.yaml.Problems {
    public static Problems of(List<Problem> found) {
        Problems problems = new Problems();
        found.forEach(problems::add);
        return problems;
    }

    @Override
    protected ManifestException failure(String file, List<Problem> problems) {
        return new ManifestException(file, problems);
    }
}
