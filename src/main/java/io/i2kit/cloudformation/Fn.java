package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** CloudFormation intrinsic functions and the JSON nodes templates are made of. */
final class Fn {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Fn() {
    }

    static ObjectNode object() {
        return JSON.objectNode();
    }

    static ArrayNode array(JsonNode... items) {
        ArrayNode array = JSON.arrayNode();
        for (JsonNode item : items) {
            array.add(item);
        }
        return array;
    }

    static TextNode text(String value) {
        return JSON.textNode(value);
    }

    static ObjectNode ref(String logicalId) {
        return object().put("Ref", logicalId);
    }

    static ObjectNode getAtt(String logicalId, String attribute) {
        return object().set("Fn::GetAtt", array(text(logicalId), text(attribute)));
    }

    static ObjectNode importValue(String exportName) {
        return object().put("Fn::ImportValue", exportName);
    }

    static ObjectNode split(String delimiter, JsonNode value) {
        return object().set("Fn::Split", array(text(delimiter), value));
    }

    static ObjectNode join(String delimiter, JsonNode... parts) {
        return object().set("Fn::Join", array(text(delimiter), array(parts)));
    }

    static ObjectNode select(int index, JsonNode list) {
        return object().set("Fn::Select", array(text(Integer.toString(index)), list));
    }

    /** The availability zones of the stack's region. */
    static ObjectNode availabilityZones() {
        return object().put("Fn::GetAZs", "");
    }

    /** {@code Fn::Sub}: {@code ${Name}} is a parameter, a resource's {@code Ref} or a pseudo parameter. */
    static ObjectNode sub(String text) {
        return object().put("Fn::Sub", text);
    }

    /** {@code Fn::Sub} with variables of its own: {@code ${Name}} is a key of {@code variables}, else as above. */
    static ObjectNode sub(String text, ObjectNode variables) {
        return object().set("Fn::Sub", array(text(text), variables));
    }

    static ObjectNode equalsText(JsonNode value, String text) {
        return object().set("Fn::Equals", array(value, text(text)));
    }

    static ObjectNode ifThen(String condition, JsonNode whenTrue, JsonNode whenFalse) {
        return object().set("Fn::If", array(text(condition), whenTrue, whenFalse));
    }

    static ObjectNode base64(JsonNode value) {
        return object().set("Fn::Base64", value);
    }

    static ObjectNode base64(String value) {
        return object().put("Fn::Base64", value);
    }
}
