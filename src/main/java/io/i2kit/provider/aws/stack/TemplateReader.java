package io.i2kit.provider.aws.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads what the stack operations need from a JSON template, without calling AWS. */
final class TemplateReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TemplateReader() {
    }

    /** The template as a tree, or empty when it is not JSON (a YAML template deployed by other means). */
    static Optional<JsonNode> parse(String template) {
        try {
            return Optional.of(MAPPER.readTree(template));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Two templates are the same when they hold the same tree, whatever their spacing or key order. */
    static boolean sameTemplate(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Optional<JsonNode> ta = parse(a);
        Optional<JsonNode> tb = parse(b);
        return ta.isPresent() && tb.isPresent() && ta.get().equals(tb.get());
    }

    /**
     * Every export name the template imports with a literal {@code Fn::ImportValue}; an import whose
     * name is computed ({@code Fn::Sub}…) cannot be known without deploying and is left out.
     */
    static Set<String> imports(String template) {
        Set<String> names = new LinkedHashSet<>();
        parse(template).ifPresent(tree -> collectImports(tree, names));
        return names;
    }

    /** Every resource of the template, in its order, as an ADD. */
    static List<ResourceChange> resourcesAsAdds(String template) {
        List<ResourceChange> adds = new ArrayList<>();
        JsonNode resources = parse(template).map(t -> t.path("Resources")).orElse(MAPPER.missingNode());
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            adds.add(ResourceChange.add(resource.getKey(), resource.getValue().path("Type").asText("")));
        }
        return adds;
    }

    private static void collectImports(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode imported = node.get("Fn::ImportValue");
            if (imported != null && imported.isTextual()) {
                names.add(imported.asText());
            }
            node.elements().forEachRemaining(child -> collectImports(child, names));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectImports(child, names));
        }
    }
}
