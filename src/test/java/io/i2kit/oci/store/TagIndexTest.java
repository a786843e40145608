package io.i2kit.oci.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagIndexTest {
    @TempDir
    Path tmp;

    private static Descriptor manifest(char c) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, new Digest(String.valueOf(c).repeat(64)), 400, Map.of(), Optional.of(Platform.LINUX_AMD64));
    }

    @Test
    void taggingReplacesTheSameNameAndKeepsOthers() throws Exception {
        TagIndex index = new TagIndex(tmp);
        assertThat(index.find("i2kit.local/kernel:bookworm")).isEmpty();
        index.tag("i2kit.local/kernel:bookworm", manifest('a'));
        index.tag("i2kit.local/init:bookworm", manifest('b'));
        index.tag("i2kit.local/kernel:bookworm", manifest('c'));
        assertThat(index.entries().keySet()).containsExactly("i2kit.local/init:bookworm", "i2kit.local/kernel:bookworm");
        Descriptor kernel = index.find("i2kit.local/kernel:bookworm").orElseThrow();
        assertThat(kernel.digest()).isEqualTo(new Digest("c".repeat(64)));
        assertThat(kernel.platform()).contains(Platform.LINUX_AMD64);
        assertThat(kernel.annotations()).containsEntry(TagIndex.REF_NAME, "i2kit.local/kernel:bookworm");
        assertThat(Files.readString(tmp.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(Files.readString(tmp.resolve("index.json"))).contains("\"schemaVersion\" : 2", MediaTypes.OCI_INDEX);
    }
}
