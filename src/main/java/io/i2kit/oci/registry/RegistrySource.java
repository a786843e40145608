package io.i2kit.oci.registry;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageContent;
import io.i2kit.oci.ImagePuller;
import io.i2kit.oci.ImageSource;
import io.i2kit.oci.Platform;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images from registries speaking the OCI distribution API (Docker Hub, GHCR, ECR, a local
 * {@code registry}). {@code i2kit.local/…} is not a registry: it names base packages i2kit builds
 * itself, so this source leaves those references to the local store.
 */
public final class RegistrySource implements ImageSource {
    public static final String LOCAL_HOST = "i2kit.local";

    private final BlobStore store;
    private final RegistrySettings settings;
    /** Made on first use: building an HttpClient and its TLS context costs a fifth of a second, wasted when every image is local. */
    private HttpClient http;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    private synchronized HttpClient http() {
        if (http == null) {
            http = RegistryClient.newHttpClient();
        }
        return http;
    }

    public RegistrySource(BlobStore store, RegistrySettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * The digest of the document the reference names: for a multi-platform image, the index's
     * digest, so that a lock pins the same thing on every platform.
     */
    @Override
    public Optional<Digest> resolve(ImageReference reference) {
        if (!serves(reference)) {
            return Optional.empty();
        }
        String wanted = reference.pinnedDigest().orElse(reference.tag());
        ManifestFetcher.Fetched fetched = new ManifestFetcher(client(reference)).fetch(reference.repository(), wanted,
                reference.toString());
        Digest digest = Digest.of(fetched.bytes());
        reference.pinnedDigest().map(Digest::parse).ifPresent(d ->
                ImagePuller.verified(fetched.bytes(), d, "the manifest of " + reference));
        return Optional.of(digest);
    }

    /** {@code pinned} (or a digest in the reference) may name an index or a manifest; both are verified. */
    @Override
    public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                      Progress progress) {
        if (!serves(reference)) {
            return Optional.empty();
        }
        RegistryClient client = client(reference);
        Optional<Digest> expected = pinned.or(() -> reference.pinnedDigest().map(Digest::parse));
        String wanted = expected.map(Digest::toString).orElse(reference.tag());
        ManifestFetcher manifests = new ManifestFetcher(client);
        ManifestFetcher.Fetched top = manifests.fetch(reference.repository(), wanted, reference.toString());
        expected.ifPresent(d -> ImagePuller.verified(top.bytes(), d, "the manifest of " + reference));
        BlobFetcher blobs = new BlobFetcher(client);
        ImageContent content = new ImageContent() {
            @Override
            public byte[] manifest(Descriptor descriptor) {
                return manifests.fetch(reference.repository(), descriptor.digest().toString(), reference.toString()).bytes();
            }

            @Override
            public InputStream blob(Descriptor descriptor) {
                return blobs.open(reference.repository(), descriptor, reference.toString());
            }
        };
        return Optional.of(new ImagePuller(store).pull(reference.toString(), top.bytes(), top.contentType(), platform,
                content, progress));
    }

    private boolean serves(ImageReference reference) {
        return reference.source() == ImageReference.Source.REGISTRY && !reference.registry().equals(LOCAL_HOST);
    }

    private RegistryClient client(ImageReference reference) {
        return clients.computeIfAbsent(reference.registry(), host -> new RegistryClient(host, settings, http()));
    }
}
