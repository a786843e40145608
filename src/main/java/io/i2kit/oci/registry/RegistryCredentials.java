package io.i2kit.oci.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for one registry, and where they came from (for messages). The
 * password never appears in {@link #toString()}, so a record printed by mistake leaks nothing.
 */
public record RegistryCredentials(String username, String password, String origin) {
    /** The value of an {@code Authorization: Basic} header. */
    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "credentials of user \"" + username + "\" from " + origin;
    }
}
