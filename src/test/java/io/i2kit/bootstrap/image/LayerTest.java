package io.i2kit.bootstrap.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.image.TarWriter;
import io.i2kit.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

class LayerTest {
    private static FileTree tree() {
        FileTree t = new FileTree();
        t.addFile("usr/bin/runc", Meta.of(0755), "ELF".getBytes(StandardCharsets.UTF_8));
        t.addSymlink("bin/sh", Meta.of(0777), "busybox");
        t.addDirectory("usr/games", new Meta(02750, 5, 60));
        return t;
    }

    @Test
    void gzipHeaderHasNoTimeAndAnUnknownOs() {
        byte[] gz = Layer.of(tree()).gzip();
        assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).containsOnly(0);
        assertThat(gz[9]).isEqualTo((byte) 255);
    }

    @Test
    void isTheTarWritersTarGzippedAndNamedByBothDigests() throws IOException {
        Layer layer = Layer.of(tree());
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter.write(tree(), tar);
        byte[] unzipped = new GzipCompressorInputStream(new ByteArrayInputStream(layer.gzip())).readAllBytes();

        assertThat(unzipped).isEqualTo(tar.toByteArray());
        assertThat(layer.diffId()).isEqualTo(Digest.of(tar.toByteArray()));
        assertThat(layer.digest()).isEqualTo(Digest.of(layer.gzip()));
        assertThat(layer.size()).isEqualTo(layer.gzip().length);
        assertThat(Layer.of(tree()).gzip()).isEqualTo(layer.gzip());
    }
}
