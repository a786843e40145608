package io.i2kit.bootstrap.debian;

import io.i2kit.I2kitException;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.BlobMismatchException;
import io.i2kit.oci.store.BlobStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Downloads .deb files from their mirror into a content-addressed cache. The cache key is the
 * {@code SHA256} the (apt-verified) index gives, so a cached file is reused without a request and a
 * download is verified while it streams: a corrupt or tampered file is never kept.
 */
public final class DebFetcher {
    private final BlobStore cache;
    private final HttpClient http;

    public DebFetcher(BlobStore cache) {
        this(cache, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build());
    }

    DebFetcher(BlobStore cache, HttpClient http) {
        this.cache = cache;
        this.http = http;
    }

    /** Whether {@code p} is cached already (no download needed). */
    public boolean cached(DebPackage p) {
        return cache.has(p.sha256());
    }

    /** The cached file of {@code p}, downloading it first when needed. */
    public Path fetch(DebPackage p, Progress progress) {
        if (cache.has(p.sha256())) {
            return cache.path(p.sha256());
        }
        String task = "download " + p.name() + " " + p.version();
        HttpRequest request = HttpRequest.newBuilder(p.url()).timeout(Duration.ofMinutes(10)).GET().build();
        progress.start(task, p.size());
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new I2kitException("cannot download " + p + " from " + p.url() + ": HTTP " + response.statusCode()
                            + "; the index may be older than the mirror: run apt-get update and try again");
                }
                cache.put(new Counting(body, task, progress), Optional.of(p.sha256()), p.url().toString());
            }
        } catch (BlobMismatchException e) {
            throw new I2kitException("downloaded " + p + " from " + p.url() + " but it does not match the index's SHA256 ("
                    + e.getMessage() + "); run apt-get update and try again", e);
        } catch (IOException e) {
            throw new I2kitException("cannot download " + p + " from " + p.url() + ": " + e
                    + "; check the network or the mirror in /etc/apt/sources.list*", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new I2kitException("download of " + p + " interrupted", e);
        }
        progress.finish(task, "downloaded " + p.name() + " " + p.version() + " (" + p.size() + " bytes)");
        return cache.path(p.sha256());
    }

    /** Reports progress as bytes stream through. */
    private static final class Counting extends FilterInputStream {
        private final String task;
        private final Progress progress;

        Counting(InputStream in, String task, Progress progress) {
            super(in);
            this.task = task;
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                progress.advance(task, n);
            }
            return n;
        }
    }
}
