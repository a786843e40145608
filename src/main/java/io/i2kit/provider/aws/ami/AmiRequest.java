package io.i2kit.provider.aws.ami;

import io.i2kit.oci.Digest;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One service's image to publish as an AMI.
 *
 * @param image       the raw-efi disk {@code i2kit build --format raw-efi} wrote
 * @param digest      the image's content digest, which identifies the AMI
 * @param application the application's name
 * @param service     the service's name
 */
public record AmiRequest(Path image, Digest digest, String application, String service) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_IMAGE_NAME = 128;

    public AmiRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(digest, "digest");
        for (String name : new String[] {application, service}) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an application or service name: " + name);
            }
        }
    }

    /**
     * {@code i2kit-<application>-<service>-<first 12 hex digits of the digest>}, shortened before the
     * digest to fit the 128 characters AWS allows.
     */
    public String imageName() {
        String prefix = "i2kit-" + application + "-" + service;
        String suffix = "-" + digest.shortForm();
        return prefix.substring(0, Math.min(prefix.length(), MAX_IMAGE_NAME - suffix.length())) + suffix;
    }

    String description() {
        return "i2kit " + application + "/" + service + " " + digest;
    }
}
