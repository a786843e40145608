package io.i2kit.bootstrap.debian;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code deb} line of the machine's apt sources: an archive, a suite and its components.
 *
 * @param architectures the {@code arch=} / {@code Architectures:} option; empty means the machine's
 */
public record AptSource(URI uri, String suite, List<String> components, List<String> architectures) {
    public AptSource {
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
    }

    public boolean serves(String architecture) {
        return architectures.isEmpty() || architectures.contains(architecture);
    }

    /** The Packages indexes' paths relative to the archive root, one per component (a flat suite has one). */
    public List<String> packagesPaths(String architecture) {
        if (suite.endsWith("/")) {
            return List.of((suite.equals("/") ? "" : suite) + "Packages");
        }
        List<String> paths = new ArrayList<>();
        for (String component : components) {
            paths.add("dists/" + suite + "/" + component + "/binary-" + architecture + "/Packages");
        }
        return paths;
    }

    /**
     * The name apt gives the downloaded index in {@code /var/lib/apt/lists}: the URL without scheme
     * and credentials, special characters quoted as {@code %xx}, slashes turned into underscores.
     */
    public String listFileName(String relativePath) {
        String base = uri.toString();
        int scheme = base.indexOf("://");
        String rest = scheme >= 0 ? base.substring(scheme + 3) : base;
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            rest = rest.substring(at + 1);
        }
        if (!rest.endsWith("/")) {
            rest += "/";
        }
        StringBuilder quoted = new StringBuilder();
        for (char c : (rest + relativePath).toCharArray()) {
            if ("\\|{}[]<>\"^~_=!@#$%^&*".indexOf(c) >= 0 || c <= 0x20 || c >= 0x7f) {
                quoted.append(String.format("%%%02x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.toString().replace('/', '_');
    }
}
