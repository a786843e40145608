package io.i2kit.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final Digest HELLO_DIGEST = Digest.parse("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

    @TempDir
    Path root;

    private long files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("oci-layout")).count();
        }
    }

    @Test
    void storesUnderTheContentDigestInAnOciLayout() {
        BlobStore store = new BlobStore(root);
        assertThat(store.put(HELLO, "greeting")).isEqualTo(HELLO_DIGEST);
        assertThat(store.path(HELLO_DIGEST)).isEqualTo(root.resolve("blobs/sha256/" + HELLO_DIGEST.hex())).hasContent("hello");
        assertThat(root.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    @Test
    void aMismatchIsAnErrorAndNothingIsKept() throws IOException {
        BlobStore store = new BlobStore(root);
        Digest other = Digest.of("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(HELLO), Optional.of(other), "layer 1 of redis"))
                .isInstanceOf(BlobMismatchException.class)
                .hasMessage("layer 1 of redis: content does not match its digest (expected " + other + ", got "
                        + HELLO_DIGEST + "); nothing was stored");
        assertThat(store.has(other)).isFalse();
        assertThat(store.has(HELLO_DIGEST)).isFalse();
        assertThat(files()).isZero();
    }

    @Test
    void anInterruptedStreamLeavesNoFileBehind() throws IOException {
        BlobStore store = new BlobStore(root);
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> store.put(failing, Optional.empty(), "blob")).hasMessageContaining("connection reset");
        assertThat(files()).isZero();
    }

    @Test
    void concurrentWritersOfTheSameBlobBothSucceed() throws Exception {
        BlobStore store = new BlobStore(root);
        byte[] big = new byte[4 << 20];
        new java.util.Random(1).nextBytes(big);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<Digest> a = pool.submit(() -> store.put(new ByteArrayInputStream(big), Optional.empty(), "a"));
            Future<Digest> b = pool.submit(() -> store.put(new ByteArrayInputStream(big), Optional.empty(), "b"));
            assertThat(a.get()).isEqualTo(b.get());
            assertThat(store.read(a.get())).isEqualTo(big);
            assertThat(files()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBlobChangedOnDiskIsDetectedWhenRead() throws IOException {
        BlobStore store = new BlobStore(root);
        store.put(HELLO, "greeting");
        Files.writeString(store.path(HELLO_DIGEST), "jello");
        assertThatThrownBy(() -> store.read(HELLO_DIGEST)).isInstanceOf(BlobMismatchException.class)
                .hasMessageContaining("content does not match its digest");
    }
}
