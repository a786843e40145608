package io.i2kit.provider.aws.ami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import io.i2kit.provider.aws.AwsContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The few EBS direct API calls an AMI needs (StartSnapshot, PutSnapshotBlock, CompleteSnapshot)
 * over the JDK's HTTP client, signed by the SDK's SigV4 signer: the SDK's {@code ebs} module would
 * bring a second HTTP stack for three calls. Counts calls and body bytes for statistics. Failures
 * become {@link EbsCallException}s that never carry credentials or signed headers.
 */
final class EbsDirectClient {
    /** EBS direct APIs write whole 512 KiB blocks; the last block of an image is padded with zeros. */
    static final int BLOCK_SIZE = 512 * 1024;
    private static final String SIGNING_NAME = "ebs";
    // Long enough for one 512 KiB block on a slow uplink shared by every concurrent upload.
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 so that each concurrent block has its own connection, as AWS advises for throughput.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final HttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();

    EbsDirectClient(URI endpoint, String region, AwsCredentialsProvider credentials, HttpClient http) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.http = http;
    }

    static EbsDirectClient create(AwsContext context) {
        return new EbsDirectClient(context.endpointFor(SIGNING_NAME), context.region().id(), context.credentials(),
                HTTP);
    }

    /** A snapshot EBS has started: blocks can be written to it until it is completed. */
    record StartedSnapshot(String id, String status) {
    }

    /** What EBS answered: status, AWS's error type header if any, body. */
    record Answer(int status, String errorType, byte[] body) {
        JsonNode json() {
            try {
                return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }
    }

    /** {@code POST /snapshots}; {@code clientToken} makes a retried start return the same snapshot. */
    StartedSnapshot startSnapshot(long volumeGib, Map<String, String> tags, String description, String clientToken,
                                  Duration timeout) {
        ObjectNode body = JSON.createObjectNode().put("VolumeSize", volumeGib).put("Description", description)
                .put("ClientToken", clientToken).put("Timeout", timeout.toMinutes());
        tags.forEach((key, value) -> body.withArray("Tags").addObject().put("Key", key).put("Value", value));
        String what = "start an EBS snapshot of " + volumeGib + " GiB";
        Answer answer = call("POST", "/snapshots", Map.of("Content-Type", "application/json"),
                body.toString().getBytes(StandardCharsets.UTF_8), what, false, false);
        JsonNode json = answer.json();
        String id = json.path("SnapshotId").asText("");
        if (id.isEmpty()) {
            throw new EbsCallException("cannot " + what + ": EBS at " + endpoint + " answered HTTP " + answer.status()
                    + " without a SnapshotId", "check that the endpoint is the EBS direct API's", answer.status(), "",
                    false, null);
        }
        return new StartedSnapshot(id, json.path("Status").asText(""));
    }

    /**
     * {@code PUT /snapshots/{id}/blocks/{index}}: one whole block with its base64 SHA-256, which
     * EBS checks (the body is not part of the signature).
     */
    void putSnapshotBlock(String snapshotId, int index, byte[] block, String checksum) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("x-amz-Data-Length", Integer.toString(block.length));
        headers.put("x-amz-Checksum", checksum);
        headers.put("x-amz-Checksum-Algorithm", "SHA256");
        // Writes right after StartSnapshot may not find the snapshot yet, so not found is retried here.
        call("PUT", "/snapshots/" + snapshotId + "/blocks/" + index, headers, block,
                "upload block " + index + " to snapshot " + snapshotId, true, true);
    }

    /**
     * {@code POST /snapshots/completion/{id}} with the number of blocks written and their linear
     * aggregate checksum, so EBS refuses to seal a snapshot that lost or changed a block.
     */
    String completeSnapshot(String snapshotId, int changedBlocks, String aggregateChecksum) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-ChangedBlocksCount", Integer.toString(changedBlocks));
        if (changedBlocks > 0) {
            headers.put("x-amz-Checksum", aggregateChecksum);
            headers.put("x-amz-Checksum-Algorithm", "SHA256");
            headers.put("x-amz-Checksum-Aggregation-Method", "LINEAR");
        }
        Answer answer = call("POST", "/snapshots/completion/" + snapshotId, headers, new byte[0],
                "complete snapshot " + snapshotId, false, false);
        return answer.json().path("Status").asText("");
    }

    /**
     * One signed request; a 2xx answer is returned, anything else thrown as {@link EbsCallException}.
     *
     * @param unsignedBody whether the body is left out of the signature, which AWS allows for
     *                     PutSnapshotBlock only (its service model's {@code v4-unsigned-body})
     */
    Answer call(String method, String path, Map<String, String> headers, byte[] body, String what,
                boolean notFoundIsTransient, boolean unsignedBody) {
        Answer answer = exchange(method, path, headers, body, what, unsignedBody);
        if (answer.status() / 100 == 2) {
            return answer;
        }
        throw EbsFailure.of(what, endpoint, answer, notFoundIsTransient);
    }

    private Answer exchange(String method, String path, Map<String, String> headers, byte[] body, String what,
                            boolean unsignedBody) {
        HttpRequest request = signed(method, endpoint.resolve(path), headers, body, what, unsignedBody);
        calls.incrementAndGet();
        bytesSent.addAndGet(body.length);
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(""),
                    response.body());
        } catch (HttpConnectTimeoutException e) {
            throw EbsFailure.transport(what, endpoint, "the connection timed out", e);
        } catch (ConnectException e) {
            throw EbsFailure.transport(what, endpoint, "connection refused or host unknown", e);
        } catch (HttpTimeoutException e) {
            throw EbsFailure.transport(what, endpoint, "no answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw EbsFailure.transport(what, endpoint, e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EbsCallException("interrupted while trying to " + what, "", 0, "", false, e);
        }
    }

    HttpRequest signed(String method, URI uri, Map<String, String> headers, byte[] body, String what,
                               boolean unsignedBody) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(unsigned::putHeader);
        AwsCredentials identity = identity(what);
        // A block's body goes unsigned over HTTPS, as with the SDK's own EBS client: its checksum header
        // is signed instead. The signer still hashes it over plain HTTP, which only emulators use.
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedBody));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().forEachHeader((name, values) -> {
            // The JDK sets these itself from the URI and the body; the signer computed the same.
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private AwsCredentials identity(String what) {
        try {
            return credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new I2kitException("cannot " + what + ": no AWS credentials could be loaded (" + e.getMessage()
                    + "); hint: set AWS_PROFILE or AWS_ACCESS_KEY_ID, or run aws sso login", e);
        }
    }

    /** Requests sent, retries included. */
    long calls() {
        return calls.get();
    }

    /** Request body bytes sent, retries included. */
    long bytesSent() {
        return bytesSent.get();
    }

    URI endpoint() {
        return endpoint;
    }
}
