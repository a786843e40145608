package io.i2kit.oci.registry;

import io.i2kit.I2kitException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.ImageNotFoundException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * {@code GET /v2/<name>/blobs/<digest>}: the stream of one blob (registries often redirect to a
 * storage service). The caller streams it into the blob store, which verifies the digest.
 */
final class BlobFetcher {
    private final RegistryClient client;

    BlobFetcher(RegistryClient client) {
        this.client = client;
    }

    InputStream open(String repository, Descriptor blob, String image) {
        String what = "fetch blob " + blob.digest() + " of " + image;
        HttpResponse<InputStream> response = client.get(repository + "/blobs/" + blob.digest(), "*/*",
                "repository:" + repository + ":pull", what);
        if (response.statusCode() == 404) {
            String detail = RegistryClient.errors(response);
            throw new ImageNotFoundException("cannot " + what + ": the registry " + client.host()
                    + " lists it in the manifest but does not have it" + (detail.isEmpty() ? "" : " (" + detail + ")")
                    + "; the image is incomplete, push it again");
        }
        if (response.statusCode() != 200) {
            String detail = RegistryClient.errors(response);
            throw new I2kitException("cannot " + what + ": the registry " + client.host() + " answered HTTP "
                    + response.statusCode() + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        return response.body();
    }
}
