package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags every taggable resource carries, so that a resource found in an account can be traced
 * back to its application and service. Values may be intrinsic functions.
 */
record Tags(Map<String, JsonNode> values) {
    static final String APPLICATION = "i2kit:application";
    static final String SERVICE = "i2kit:service";
    static final String IMAGE_DIGEST = "i2kit:image-digest";

    Tags {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static Tags application(String application) {
        return new Tags(Map.of(APPLICATION, Fn.text(application)));
    }

    static Tags service(String application, String service) {
        return application(application).with(SERVICE, Fn.text(service));
    }

    Tags with(String key, JsonNode value) {
        Map<String, JsonNode> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Tags(copy);
    }

    /** {@code [{"Key": k, "Value": v}]}, the shape of most resources' {@code Tags}. */
    ArrayNode list() {
        ArrayNode list = Fn.array();
        values.forEach((key, value) -> list.add(Fn.object().put("Key", key).set("Value", value)));
        return list;
    }

    /** The auto scaling group's shape: each tag is also copied to the instances it launches. */
    ArrayNode propagatedAtLaunch() {
        ArrayNode list = Fn.array();
        values.forEach((key, value) -> {
            ObjectNode tag = list.addObject().put("Key", key);
            tag.set("Value", value);
            tag.put("PropagateAtLaunch", true);
        });
        return list;
    }
}
