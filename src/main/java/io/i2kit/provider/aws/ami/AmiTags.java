package io.i2kit.provider.aws.ami;

import io.i2kit.cloudformation.LogicalIds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The tags on i2kit's AMIs and their snapshots: the keys the CloudFormation renderer puts on every
 * resource ({@code io.i2kit.cloudformation.Tags}), so that one search finds all of an application.
 * The digest's value is its full {@code sha256:<hex>} form.
 */
final class AmiTags {
    static final String APPLICATION = "i2kit:application";
    static final String SERVICE = "i2kit:service";
    static final String IMAGE_DIGEST = "i2kit:image-digest";
    /** The tag of a data volume and of its snapshots. */
    static final String DATA_VOLUME = LogicalIds.VOLUME_TAG;

    private AmiTags() {
    }

    static Map<String, String> of(AmiRequest request) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(APPLICATION, request.application());
        tags.put(SERVICE, request.service());
        tags.put(IMAGE_DIGEST, request.digest().toString());
        return tags;
    }

    static List<Tag> ec2(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    static Filter filter(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }

    static Optional<String> value(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
    }
}
