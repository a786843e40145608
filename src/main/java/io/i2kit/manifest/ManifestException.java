package io.i2kit.manifest;

import io.i2kit.yaml.Problem;
import io.i2kit.yaml.ProblemsException;
import java.util.List;

/** Every error found in a manifest, reported at once. */
public final class ManifestException extends ProblemsException {
    public ManifestException(String file, List<Problem> problems) {
        super(file, problems);
    }
}
