package io.i2kit.manifest;

import io.i2kit.manifest.Placeholder;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compose's {@code $} syntax, translated for i2kit. Compose fills {@code ${VAR}} and {@code $VAR}
 * from the environment of the machine running it; i2kit refuses to, so that an application does
 * not depend on who deploys it. {@code $$} is compose's literal {@code $}. In environment values,
 * i2kit's own {@code ${service.host|port|endpoint}} placeholders are kept and a literal {@code ${}
 * is written {@code $${}, i2kit's escape.
 */
final class ComposeVariables {
    private final Binder in;

    ComposeVariables(Binder binder) {
        this.in = binder;
    }

    /**
     * {@code node} with every scalar translated; {@code environment} keeps i2kit placeholders. Empty
     * when {@code node} is a scalar holding a refused variable (reported here); map entries holding
     * one are left out and list items are kept as written, so that nothing is reported twice and
     * list indexes stay those of the file.
     */
    Optional<YamlNode> translate(YamlNode node, String path, boolean environment) {
        if (node instanceof Scalar s) {
            if (s.isNull()) {
                return Optional.of(s);
            }
            int before = in.problems().count();
            String translated = translate(s, path, environment);
            // A value that held a $ was text, whatever it reads as now ("" is not null, "1" is not a number).
            return in.problems().count() > before ? Optional.empty()
                    : Optional.of(new Scalar(translated, s.plain() && translated.equals(s.value()), s.position()));
        }
        if (node instanceof Sequence seq) {
            List<YamlNode> items = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                YamlNode item = seq.items().get(i);
                items.add(translate(item, Binder.item(path, i), environment).orElse(item));
            }
            return Optional.of(new Sequence(items, seq.position()));
        }
        Mapping m = (Mapping) node;
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        m.entries().forEach((key, value) ->
                translate(value, Binder.child(path, key), environment).ifPresent(v -> entries.put(key, v)));
        return Optional.of(new Mapping(entries, m.keyPositions(), m.position()));
    }

    private String translate(Scalar at, String path, boolean environment) {
        String value = at.value();
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            char next = i + 1 < value.length() ? value.charAt(i + 1) : 0;
            if (c != '$') {
                out.append(c);
                i++;
            } else if (next == '$') {
                boolean brace = i + 2 < value.length() && value.charAt(i + 2) == '{';
                out.append(environment && brace ? "$${" : "$");
                i += environment && brace ? 3 : 2;
            } else if (next == '{') {
                int close = value.indexOf('}', i + 2);
                if (close < 0) {
                    in.error(at, path, "unterminated \"${\"; write $$ for a literal $");
                    return out.append(value, i, value.length()).toString();
                }
                String reference = value.substring(i, close + 1);
                if (environment && isPlaceholder(reference)) {
                    out.append(reference);
                } else {
                    refuse(at, path, reference, value.substring(i + 2, close), environment);
                }
                i = close + 1;
            } else if (Character.isLetter(next) || next == '_') {
                int end = i + 1;
                while (end < value.length() && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
                    end++;
                }
                refuse(at, path, value.substring(i, end), value.substring(i + 1, end), environment);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isPlaceholder(String reference) {
        List<Placeholder.Part> parts = Placeholder.parse(reference);
        return parts.size() == 1 && parts.get(0) instanceof Placeholder.Ref;
    }

    private void refuse(Scalar at, String path, String reference, String inner, boolean environment) {
        if (!environment && isPlaceholder(reference)) {
            in.error(at, path, reference + ": i2kit placeholders are replaced in environment values only; "
                    + "set a variable under environment: and refer to that");
            return;
        }
        String name = inner.split("[^A-Za-z0-9_]", 2)[0];
        in.error(at, path, reference + ": compose would read " + (name.isEmpty() ? "a variable" : name)
                + " from the environment of the machine running it; i2kit does not, so that the application "
                + "does not depend on who deploys it: write the value itself (or $$ for a literal $)");
    }
}
