package io.i2kit.oci.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header: {@code Bearer realm="…",service="…",scope="…"}
 * or {@code Basic realm="…"}. Parameter names are case-insensitive (kept in lower case).
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {
    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        parameters = Map.copyOf(parameters);
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * Parses a header value. Registries send one challenge per header, but quoted values may hold
     * commas ({@code scope="repository:a:pull,push"}), so this is a small tokenizer, not a split.
     */
    public static Optional<AuthChallenge> parse(String header) {
        String text = header.trim();
        int space = text.indexOf(' ');
        String scheme = space < 0 ? text : text.substring(0, space);
        if (scheme.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++; // closing quote
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            params.put(name, value.toString().trim());
        }
        return Optional.of(new AuthChallenge(scheme, params));
    }

    /** The challenges of all headers, Bearer first: a token is preferred when both are offered. */
    public static List<AuthChallenge> parseAll(List<String> headers) {
        List<AuthChallenge> out = new ArrayList<>();
        headers.forEach(h -> parse(h).ifPresent(out::add));
        out.sort((a, b) -> Boolean.compare(!a.scheme().equals("bearer"), !b.scheme().equals("bearer")));
        return out;
    }
}
