package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.oci.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** How requests to AWS's real (HTTPS) endpoint are signed; nothing is sent. */
class EbsDirectClientTest {
    private static final URI EBS = URI.create("https://ebs.eu-west-1.amazonaws.com");

    private static EbsDirectClient client(software.amazon.awssdk.auth.credentials.AwsCredentials credentials) {
        return new EbsDirectClient(EBS, "eu-west-1", StaticCredentialsProvider.create(credentials),
                HttpClient.newHttpClient());
    }

    @Test
    void aBlockGoesUnsignedWithItsChecksumSignedAndOtherBodiesAreSigned() {
        EbsDirectClient ebs = client(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        byte[] json = "{\"VolumeSize\":1}".getBytes(StandardCharsets.UTF_8);

        HttpRequest put = ebs.signed("PUT", EBS.resolve("/snapshots/snap-1/blocks/3"),
                Map.of("x-amz-Checksum", "abc=", "x-amz-Data-Length", "524288"), new byte[524288], "put", true);
        HttpRequest start = ebs.signed("POST", EBS.resolve("/snapshots"), Map.of("Content-Type", "application/json"),
                json, "start", false);

        assertThat(put.headers().firstValue("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
        assertThat(put.headers().firstValue("Authorization")).hasValueSatisfying(a -> assertThat(a)
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/ebs/aws4_request")
                .contains("x-amz-checksum").contains("x-amz-data-length").doesNotContain("secret"));
        assertThat(put.headers().firstValue("Host")).isEmpty();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(start.headers().firstValue("x-amz-content-sha256"))
                .hasValue(HexFormat.of().formatHex(Digest.sha256().digest(json)));
    }

    @Test
    void temporaryCredentialsSendTheirSessionToken() {
        EbsDirectClient ebs = client(AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "the-token"));

        HttpRequest request = ebs.signed("POST", EBS.resolve("/snapshots/completion/snap-1"), Map.of(), new byte[0],
                "complete", false);

        assertThat(request.headers().firstValue("X-Amz-Security-Token")).hasValue("the-token");
    }
}
