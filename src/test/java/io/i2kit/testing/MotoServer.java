package io.i2kit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import io.i2kit.provider.aws.AwsContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The AWS emulator of the integration tests: moto server (installed into {@code .tools/moto} by
 * {@code scripts/setup.d/moto.sh}) on a free loopback port. One server serves the whole test JVM
 * (it starts in ~2 s but every test class would pay it); each class that registers the extension
 * starts from an empty emulator ({@code POST /moto-api/reset}). A shutdown hook kills it.
 *
 * <p>Constructors, test and lifecycle methods of such a class may take ready SDK clients for it
 * ({@link CloudFormationClient}, {@link Ec2Client}, {@link CloudWatchLogsClient}, {@link Route53Client}) and its {@link AwsContext}
 * as parameters. Like the server, one client of each kind serves the whole run; it is closed when the
 * run ends.
 *
 * <pre>{@code @RegisterExtension static final MotoServer MOTO = MotoServer.shared();
 *
 * StackPlannerIT(CloudFormationClient cfn, Ec2Client ec2) { ... }}</pre>
 */
public final class MotoServer implements BeforeAllCallback, ParameterResolver {
    public static final String REGION = "eu-west-1";
    /** The access key id and the secret key alike: moto checks neither. */
    public static final String CREDENTIAL = "testing";
    private static final Path RUN = Path.of(".tools/moto/run");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Map<Class<?>, Function<AwsContext, SdkClient>> CLIENTS = Map.of(
            CloudFormationClient.class, c -> c.client(CloudFormationClient.builder()),
            Ec2Client.class, c -> c.client(Ec2Client.builder()),
            CloudWatchLogsClient.class, c -> c.client(CloudWatchLogsClient.builder()),
            Route53Client.class, c -> c.client(Route53Client.builder()));
    private static final ExtensionContext.Namespace OPEN_CLIENTS = ExtensionContext.Namespace.create(MotoServer.class);

    private static MotoServer shared;

    private final URI endpoint;

    private MotoServer(URI endpoint) {
        this.endpoint = endpoint;
    }

    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == AwsContext.class || CLIENTS.containsKey(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        if (type == AwsContext.class) {
            return context();
        }
        return extension.getRoot().getStore(OPEN_CLIENTS)
                .getOrComputeIfAbsent(type, t -> new OpenClient(CLIENTS.get(t).apply(context())), OpenClient.class)
                .client();
    }

    /** Closed by JUnit with the root context, at the end of the run. */
    private record OpenClient(SdkClient client) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            client.close();
        }
    }

    /** {@code http://127.0.0.1:PORT}, what AWS_ENDPOINT_URL is set to. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * What a user sets to use the emulator: the endpoint, a region and dummy credentials (and no
     * profile or config file of this machine's).
     */
    public Map<String, String> environment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", CREDENTIAL, "AWS_SECRET_ACCESS_KEY", CREDENTIAL,
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    /** i2kit's AWS context for this emulator: its endpoint, {@link #REGION} and the dummy credentials. */
    public AwsContext context() {
        return new AwsContext(Region.of(REGION), Optional.of(endpoint),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(CREDENTIAL, CREDENTIAL)));
    }

    /** Forgets every resource of every service. */
    public void reset() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MotoServer start() {
        if (!Files.isExecutable(RUN)) {
            throw new IllegalStateException(RUN + " is missing: run scripts/test (or source scripts/setup.d/moto.sh "
                    + "and call setup_moto) to install moto server");
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("moto-", ".log");
            Process process = new ProcessBuilder(List.of(RUN.toAbsolutePath().toString(), Integer.toString(port)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "moto-reaper"));
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Instant deadline = Instant.now().plus(STARTUP);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto server exited with " + process.exitValue() + ":\n"
                            + Files.readString(log));
                }
                try {
                    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return new MotoServer(endpoint);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            process.destroyForcibly();
            throw new IllegalStateException("moto server did not answer within " + STARTUP + ":\n" + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
