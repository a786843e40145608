package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.oci.Digest;
import java.lang.reflect.Field;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AmiTagsTest {
    private static final Digest DIGEST = Digest.of(new byte[] {1, 2, 3});

    @Test
    void theKeysAreTheCloudFormationRenderersOwn() throws Exception {
        Class<?> renderers = Class.forName("io.i2kit.cloudformation.Tags");
        assertThat(AmiTags.APPLICATION).isEqualTo(constant(renderers, "APPLICATION"));
        assertThat(AmiTags.SERVICE).isEqualTo(constant(renderers, "SERVICE"));
        assertThat(AmiTags.IMAGE_DIGEST).isEqualTo(constant(renderers, "IMAGE_DIGEST"));
    }

    @Test
    void anAmiIsTaggedWithItsApplicationServiceAndFullDigest() {
        AmiRequest request = new AmiRequest(Path.of("web.img"), DIGEST, "shop", "web");
        assertThat(AmiTags.of(request)).containsExactly(
                java.util.Map.entry("i2kit:application", "shop"), java.util.Map.entry("i2kit:service", "web"),
                java.util.Map.entry("i2kit:image-digest", "sha256:" + DIGEST.hex()));
        assertThat(AmiTags.filter("i2kit:service", "web").name()).isEqualTo("tag:i2kit:service");
    }

    @Test
    void theImageNameEndsWithTheDigestAndFitsAws() {
        assertThat(new AmiRequest(Path.of("a"), DIGEST, "shop", "web").imageName())
                .isEqualTo("i2kit-shop-web-" + DIGEST.shortForm());
        String long63 = "s".repeat(63);
        String name = new AmiRequest(Path.of("a"), DIGEST, long63, long63).imageName();
        assertThat(name).hasSize(128).startsWith("i2kit-sss").endsWith("-" + DIGEST.shortForm());
    }

    private static Object constant(Class<?> type, String name) throws Exception {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }
}
