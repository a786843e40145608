package io.i2kit.lock;

import java.util.Map;
import java.util.TreeMap;

/** The digests a lock file holds, applied to references at render and build time. */
public record Pins(Map<String, String> digests) {
    public static final Pins NONE = new Pins(Map.of());

    public Pins {
        digests = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(digests));
    }

    /** {@code ref@digest} when the lock knows the reference; references already pinned stay as they are. */
    public String pin(String reference) {
        if (reference.contains("@")) {
            return reference;
        }
        String digest = digests.get(reference);
        return digest == null ? reference : reference + "@" + digest;
    }
}
