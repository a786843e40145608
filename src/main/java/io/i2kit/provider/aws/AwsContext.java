package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where and as whom i2kit talks to AWS, resolved once per command: the region (the environment
 * file's, else the standard chain's), the credentials (the SDK's default chain: environment,
 * shared config and profiles, SSO, container and instance roles) and an endpoint override for
 * emulators ({@code --endpoint-url}, else the SDK's standard {@code AWS_ENDPOINT_URL}).
 * Credentials are resolved lazily and never printed.
 */
public record AwsContext(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
    static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

    /** Resolves the context; {@code targetRegion} is the environment file's and wins over the chain. */
    public static AwsContext resolve(Optional<String> targetRegion, Optional<String> endpointOption,
                                     Map<String, String> environment) {
        Region region = targetRegion.map(Region::of).orElseGet(AwsContext::chainRegion);
        Optional<URI> endpoint = endpointOption
                .or(() -> Optional.ofNullable(environment.get(ENDPOINT_VARIABLE)).filter(s -> !s.isBlank()))
                .map(AwsContext::endpointUri);
        return new AwsContext(region, endpoint, DefaultCredentialsProvider.builder().build());
    }

    private static Region chainRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new I2kitException("no AWS region: set region in the environment file, AWS_REGION, or a "
                    + "region in the AWS config profile");
        }
    }

    private static URI endpointUri(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(text, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new I2kitException("AWS endpoint URL \"" + text + "\" is not an http(s) URL: " + e.getReason());
        }
    }

    /**
     * Resolves the credentials once, before any work: without them every call would fail, each
     * with the SDK's long list of the providers it tried.
     */
    public void requireCredentials() {
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new I2kitException("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                    + "AWS_PROFILE with a profile in ~/.aws/config (for SSO, run aws sso login first)", e);
        }
    }

    /** The HTTP endpoint of a service the SDK has no client for here (EBS direct APIs). */
    public URI endpointFor(String service) {
        return endpoint.orElseGet(() -> URI.create("https://" + service + "." + region.id() + ".amazonaws.com"));
    }

    /** Configures an SDK client builder with this context: region, credentials, endpoint, HTTP client. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        builder.region(region).credentialsProvider(credentials).httpClient(HTTP);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    // One HTTP client for every SDK client of the process; the SDK does not close shared ones.
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
}
