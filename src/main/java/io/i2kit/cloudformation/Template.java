package io.i2kit.cloudformation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CloudFormation template being assembled by the renderers. Keys keep the order they were added
 * in, which the renderers fix, so the same model always gives the same bytes.
 */
final class Template {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Two-space indentation and {@code "key": value}, with {@code \n} on every platform. */
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private final ObjectNode root = Fn.object();
    private final ObjectNode parameters = Fn.object();
    private final ObjectNode conditions = Fn.object();
    private final ObjectNode resources = Fn.object();
    private final ObjectNode outputs = Fn.object();

    Template(String description) {
        root.put("AWSTemplateFormatVersion", "2010-09-09");
        root.put("Description", description);
    }

    void parameter(String name, String type, String description) {
        parameters.putObject(name).put("Type", type).put("Description", description);
    }

    void parameter(String name, String type, String description, String defaultValue) {
        parameter(name, type, description);
        ((ObjectNode) parameters.required(name)).put("Default", defaultValue);
    }

    /** {@code MinValue} and {@code MaxValue} of a Number parameter already added. */
    void parameterBounds(String name, int min, int max) {
        ((ObjectNode) parameters.required(name)).put("MinValue", min).put("MaxValue", max);
    }

    void condition(String name, JsonNode value) {
        conditions.set(name, value);
    }

    /** Adds a resource and returns its {@code Properties} for the caller to fill. */
    ObjectNode resource(String logicalId, String type) {
        if (resources.has(logicalId)) {
            throw new IllegalStateException("duplicate logical id " + logicalId);
        }
        ObjectNode resource = resources.putObject(logicalId);
        resource.put("Type", type);
        return resource.putObject("Properties");
    }

    /** A resource attribute beside {@code Properties}, such as {@code DependsOn} or {@code UpdatePolicy}. */
    void attribute(String logicalId, String name, JsonNode value) {
        ((ObjectNode) resources.required(logicalId)).set(name, value);
    }

    void output(String name, String description, JsonNode value) {
        outputs.putObject(name).put("Description", description).set("Value", value);
    }

    void exportedOutput(String name, String description, JsonNode value, String exportName) {
        output(name, description, value);
        ((ObjectNode) outputs.required(name)).putObject("Export").put("Name", exportName);
    }

    String toJson() {
        ObjectNode template = root.deepCopy();
        if (!parameters.isEmpty()) {
            template.set("Parameters", parameters);
        }
        if (!conditions.isEmpty()) {
            template.set("Conditions", conditions);
        }
        template.set("Resources", resources);
        if (!outputs.isEmpty()) {
            template.set("Outputs", outputs);
        }
        try {
            return PRETTY.writeValueAsString(template) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a template tree as JSON", e);
        }
    }

    /** Compact JSON, for values embedded in a template such as user data. */
    static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
