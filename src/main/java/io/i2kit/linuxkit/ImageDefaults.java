package io.i2kit.linuxkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an image's own config says (entrypoint, cmd, env, working dir, user). LinuxKit's
 * {@code command} and {@code env} replace the image's, so Docker's merge rules can only be applied
 * when this is known: at build time, after the image config was fetched.
 */
public record ImageDefaults(List<String> entrypoint, List<String> cmd, List<String> env, Optional<String> workingDir,
                            Optional<String> user) {
    public ImageDefaults {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
    }

    /** Looks up the defaults of an image reference; {@link #OFFLINE} knows none. */
    @FunctionalInterface
    public interface Lookup {
        Optional<ImageDefaults> find(String reference);

        Lookup OFFLINE = reference -> Optional.empty();

        static Lookup of(Map<String, ImageDefaults> known) {
            return reference -> Optional.ofNullable(known.get(reference));
        }
    }
}
