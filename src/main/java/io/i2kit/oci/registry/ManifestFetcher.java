package io.i2kit.oci.registry;

import io.i2kit.I2kitException;
import io.i2kit.oci.ImageNotFoundException;
import io.i2kit.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Optional;

/** {@code GET /v2/<name>/manifests/<tag or digest>}, accepting OCI and Docker manifests and indexes. */
final class ManifestFetcher {
    /** Manifests are small; a larger answer is not a manifest and is not read into memory. */
    private static final int MAX_BYTES = 4 << 20;
    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);

    record Fetched(byte[] bytes, Optional<String> contentType) {
    }

    private final RegistryClient client;

    ManifestFetcher(RegistryClient client) {
        this.client = client;
    }

    /** @param image the reference as the user wrote it, for messages */
    Fetched fetch(String repository, String tagOrDigest, String image) {
        String what = "fetch the manifest " + tagOrDigest + " of " + image;
        HttpResponse<InputStream> response = client.get(repository + "/manifests/" + tagOrDigest, ACCEPT,
                "repository:" + repository + ":pull", what);
        if (response.statusCode() == 404) {
            String detail = RegistryClient.errors(response);
            throw new ImageNotFoundException("cannot " + what + ": the registry " + client.host() + " has no such image"
                    + (detail.isEmpty() ? "" : " (" + detail + ")") + "; check the repository name and the tag");
        }
        if (response.statusCode() != 200) {
            String detail = RegistryClient.errors(response);
            throw new I2kitException("cannot " + what + ": the registry " + client.host() + " answered HTTP "
                    + response.statusCode() + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new I2kitException("cannot " + what + ": the answer is larger than " + (MAX_BYTES >> 20)
                        + " MiB, which no manifest is");
            }
            return new Fetched(bytes, response.headers().firstValue("Content-Type"));
        } catch (IOException e) {
            throw new I2kitException("cannot " + what + ": the connection to " + client.host() + " broke: "
                    + e.getMessage(), e);
        }
    }
}
