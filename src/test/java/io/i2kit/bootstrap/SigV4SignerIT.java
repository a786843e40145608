package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The init's SigV4 signer (usr/lib/i2kit/sigv4.sh and sigv4.awk) under this machine's busybox, the
 * one the VM runs: against AWS's Signature Version 4 test suite (the canonical request, the string
 * to sign and the Authorization header of each case, compared separately so that a failure says
 * which step is wrong), and against the AWS SDK for Java's signer on the two requests the VM
 * sends (EC2 AttachVolume, SSM GetParameter) with temporary credentials.
 */
class SigV4SignerIT {
    private static final Path LIB = TestInitrd.INIT_FILES.resolve("usr/lib/i2kit");
    private static final Path SUITE = Path.of("src/test/resources/io/i2kit/bootstrap/aws-sig-v4-test-suite");
    /** The suite's credentials, region and service (its README). */
    private static final String KEY_ID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    /** get-vanilla-with-session-token signs with this token as the credentials' (botocore's test). */
    private static final String SUITE_TOKEN = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

    @TempDir
    Path dir;

    /** One request as the signer takes it. */
    record Request(String method, String path, String query, List<String> headers, String body) {
        static Request parse(String text) {
            String[] headAndBody = text.split("\n\n", 2);
            List<String> lines = new ArrayList<>(List.of(headAndBody[0].split("\n")));
            String[] requestLine = lines.remove(0).split(" ");
            String target = requestLine[1];
            int q = target.indexOf('?');
            return new Request(requestLine[0], q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1),
                    lines, headAndBody.length > 1 ? headAndBody[1] : "");
        }
    }

    /** What the signer wrote. */
    record Signed(String canonicalRequest, String stringToSign, String authorization, String send) {
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(SUITE)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void signsAsTheTestSuiteSays(String name) throws Exception {
        Path c = SUITE.resolve(name);
        Request request = Request.parse(read(c.resolve(name + ".req")));
        String token = name.equals("get-vanilla-with-session-token") ? SUITE_TOKEN : "";
        Signed signed = sign(request, "us-east-1", "service", KEY_ID, SECRET, token);
        assertThat(signed.canonicalRequest()).as("canonical request").isEqualTo(read(c.resolve(name + ".creq")));
        assertThat(signed.stringToSign()).as("string to sign").isEqualTo(read(c.resolve(name + ".sts")));
        assertThat(signed.authorization()).as("Authorization").isEqualTo(read(c.resolve(name + ".authz")));
        assertThat(signed.send()).as("the headers to send end with the Authorization")
                .endsWith("Authorization:" + signed.authorization() + "\n");
    }

    @Test
    void theSuiteIsHere() throws IOException {
        assertThat(cases().toList()).hasSizeGreaterThanOrEqualTo(20)
                .contains("get-vanilla", "get-vanilla-query-order-key-case", "post-x-www-form-urlencoded",
                        "post-sts-header-before", "get-vanilla-with-session-token");
    }

    @Test
    void agreesWithTheSdkOnAttachVolume() throws Exception {
        agreesWithTheSdk("ec2", URI.create("https://ec2.eu-west-1.amazonaws.com/"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                "Action=AttachVolume&Device=%2Fdev%2Fsdf&InstanceId=i-0123456789abcdef0"
                        + "&Version=2016-11-15&VolumeId=vol-0123456789abcdef0");
    }

    @Test
    void agreesWithTheSdkOnGetParameter() throws Exception {
        agreesWithTheSdk("ssm", URI.create("https://ssm.eu-west-1.amazonaws.com/"),
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AmazonSSM.GetParameter"),
                "{\"Name\":\"/i2kit/polls/polls-db-password\",\"WithDecryption\":true}");
    }

    private void agreesWithTheSdk(String service, URI uri, Map<String, String> headers, String body) throws Exception {
        String keyId = "ASIAEXAMPLEROLEKEY01";
        String secret = "rOlEsEcReT/+0123456789abcdefghijklmnopqrs";
        String token = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+token/=";
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        headers.forEach(unsigned::putHeader);
        SignedRequest sdk = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsSessionCredentialsIdentity.create(keyId, secret, token))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.parse("2026-12-03T17:30:05Z"), ZoneOffset.UTC)));
        String expected = sdk.request().firstMatchingHeader("Authorization").orElseThrow();
        // What the init has: its own headers and the date; the signer adds the token itself.
        List<String> lines = new ArrayList<>();
        lines.add("Host:" + uri.getHost());
        headers.forEach((name, value) -> lines.add(name + ":" + value));
        lines.add("X-Amz-Date:" + sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow());
        // the SDK's signer always signs the payload's hash as a header too; the init sends none
        lines.add("X-Amz-Content-Sha256:" + sdk.request().firstMatchingHeader("X-Amz-Content-Sha256").orElseThrow());
        Signed signed = sign(new Request("POST", "/", "", lines, body), "eu-west-1", service, keyId, secret, token);
        assertThat(signed.authorization()).isEqualTo(expected);
        assertThat(signed.send()).contains("X-Amz-Security-Token:" + token + "\n");
    }

    private Signed sign(Request request, String region, String service, String keyId, String secret, String token)
            throws Exception {
        Path work = Files.createTempDirectory(dir, "sign");
        Path headers = work.resolve("headers.in");
        Files.writeString(headers, String.join("\n", request.headers()) + "\n");
        Path body = Files.writeString(work.resolve("body.in"), request.body());
        ProcessBuilder builder = new ProcessBuilder("/bin/busybox", "sh", "-c",
                ". \"$0\"; sigv4_sign \"$@\"", LIB.resolve("sigv4.sh").toString(),
                work.toString(), region, service, request.method(), request.path(), request.query(),
                headers.toString(), body.toString());
        Map<String, String> env = builder.environment();
        env.put("i2kit_lib", LIB.toAbsolutePath().toString());
        env.put("AWS_ACCESS_KEY_ID", keyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_SESSION_TOKEN", token);
        env.put("PATH", applets().toString()); // busybox's applets only, as in the VM
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("the signer's status; it said: %s", out).isZero();
        return new Signed(read(work.resolve("creq")), read(work.resolve("sts")), out.strip(), read(work.resolve("send")));
    }

    /** A directory of links to busybox for the commands the signer runs, so no host tool stands in. */
    private Path applets() throws IOException {
        Path bin = dir.resolve("bin");
        if (!Files.isDirectory(bin)) {
            Files.createDirectories(bin);
            for (String applet : List.of("awk", "sha256sum", "xxd", "tr", "cp", "grep", "cat", "rm")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("/bin/busybox"));
            }
        }
        return bin;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
