package io.i2kit.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code ${service.attribute}} reference inside an environment value. {@code $${} writes a
 * literal {@code ${}.
 */
public record Placeholder(int start, int end, String service, Attribute attribute) {
    public enum Attribute { HOST, PORT, ENDPOINT }

    /** A piece of an environment value: literal text, a placeholder, or a malformed reference. */
    public sealed interface Part permits Text, Ref, Bad {
    }

    public record Text(String text) implements Part {
    }

    public record Ref(Placeholder placeholder) implements Part {
    }

    public record Bad(String reference, String problem) implements Part {
    }

    public static List<Part> parse(String value) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                text.append("${");
                i += 3;
            } else if (value.startsWith("${", i)) {
                int close = value.indexOf('}', i + 2);
                if (close < 0) {
                    parts.add(new Bad(value.substring(i), "unterminated ${; write $${ for a literal ${"));
                    return flush(parts, text);
                }
                flush(parts, text);
                String inner = value.substring(i + 2, close);
                parts.add(reference(i, close + 1, inner));
                i = close + 1;
            } else {
                text.append(value.charAt(i++));
            }
        }
        return flush(parts, text);
    }

    private static Part reference(int start, int end, String inner) {
        int dot = inner.lastIndexOf('.');
        if (dot <= 0) {
            return new Bad("${" + inner + "}", "expected ${service.host}, ${service.port} or ${service.endpoint}; "
                    + "write $${ for a literal ${");
        }
        String attribute = inner.substring(dot + 1).toUpperCase(Locale.ROOT);
        for (Attribute a : Attribute.values()) {
            if (a.name().equals(attribute)) {
                return new Ref(new Placeholder(start, end, inner.substring(0, dot), a));
            }
        }
        return new Bad("${" + inner + "}", "unknown attribute \"" + inner.substring(dot + 1)
                + "\"; expected host, port or endpoint");
    }

    private static List<Part> flush(List<Part> parts, StringBuilder text) {
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
            text.setLength(0);
        }
        return parts;
    }
}
