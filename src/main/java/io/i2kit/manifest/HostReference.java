package io.i2kit.manifest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host an environment value names, as imported files name their peers: {@code queue},
 * {@code queue:6379}, {@code redis://queue:6379/0}, {@code http://user@api:8080/v1},
 * {@code db.shop.svc}. Anything else (a sentence, a number, a path) names none.
 */
final class HostReference {
    /** An optional scheme and user, the host, an optional port, then anything after a path separator. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\\s]*@)?([a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::\\d{1,5})?(?:[/?#].*)?");

    private HostReference() {
    }

    static Optional<String> host(String value) {
        Matcher m = HOST.matcher(value.trim());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
