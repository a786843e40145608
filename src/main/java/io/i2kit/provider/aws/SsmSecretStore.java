package io.i2kit.provider.aws;

import io.i2kit.InvalidInputException;
import io.i2kit.secret.SecretInfo;
import io.i2kit.secret.SecretStore;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * An application's secrets on AWS: SecureString parameters {@code /i2kit/<app>/<name>} of SSM
 * Parameter Store, encrypted with the account's default key for SSM. Only {@link #set} sends a
 * value; listing and versions read the parameters' metadata (DescribeParameters), never a value,
 * not even encrypted. The instance role of a service that reads a secret names exactly its
 * parameter (see {@code InstanceRoleRenderer}).
 */
public final class SsmSecretStore implements SecretStore {
    /** A standard parameter holds at most 4 KiB. */
    static final int MAX_VALUE_BYTES = 4096;

    private final AwsContext context;
    private final java.util.function.Supplier<SsmClient> client;
    private SsmClient ssm;
    private final String application;

    SsmSecretStore(AwsContext context, java.util.function.Supplier<SsmClient> client, String application) {
        this.context = context;
        this.client = client;
        this.application = application;
    }

    /**
     * The store of {@code application} in the context's region. Credentials are checked on first
     * use, not here: choosing the store must not pre-empt the refusals of the command that chose it.
     */
    public static SsmSecretStore of(AwsContext context, String application) {
        return new SsmSecretStore(context, () -> {
            context.requireCredentials();
            return context.client(SsmClient.builder());
        }, application);
    }

    private synchronized SsmClient ssm() {
        if (ssm == null) {
            ssm = client.get();
        }
        return ssm;
    }

    /** The parameter holding a secret; the instance role's policy names the same path. */
    public static String parameterName(String application, String secret) {
        return pathOf(application) + secret;
    }

    private static String pathOf(String application) {
        return "/i2kit/" + application + "/";
    }

    @Override
    public SecretInfo set(String name, byte[] value) {
        String text = text(name, value);
        return AwsErrors.translate(context, () -> {
            long version = ssm().putParameter(r -> r.name(parameterName(application, name)).value(text)
                    .type(ParameterType.SECURE_STRING).overwrite(true)
                    .description("i2kit secret " + name + " of application " + application)).version();
            return new SecretInfo(name, version, Instant.now());
        });
    }

    @Override
    public List<SecretInfo> list() {
        return AwsErrors.translate(context, () -> {
            List<SecretInfo> secrets = new ArrayList<>();
            ParameterStringFilter underApp = ParameterStringFilter.builder().key("Path").option("OneLevel")
                    .values(pathOf(application).substring(0, pathOf(application).length() - 1)).build();
            for (ParameterMetadata p : ssm().describeParametersPaginator(r -> r.parameterFilters(underApp)).stream().flatMap(page -> page.parameters().stream()).toList()) {
                if (p.name().startsWith(pathOf(application))) {
                    secrets.add(new SecretInfo(p.name().substring(pathOf(application).length()), p.version(),
                            Optional.ofNullable(p.lastModifiedDate()).orElse(Instant.EPOCH)));
                }
            }
            secrets.sort(Comparator.comparing(SecretInfo::name));
            return List.copyOf(secrets);
        });
    }

    @Override
    public boolean remove(String name) {
        return AwsErrors.translate(context, () -> {
            try {
                ssm().deleteParameter(r -> r.name(parameterName(application, name)));
                return true;
            } catch (ParameterNotFoundException e) {
                return false;
            }
        });
    }

    @Override
    public Map<String, Long> versions(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of(); // an application without secrets never needs SSM
        }
        Map<String, Long> all = new LinkedHashMap<>();
        list().forEach(s -> all.put(s.name(), s.version()));
        Map<String, Long> versions = new LinkedHashMap<>();
        names.stream().sorted().filter(all::containsKey).forEach(n -> versions.put(n, all.get(n)));
        return versions;
    }

    @Override
    public String location() {
        return "SSM Parameter Store " + pathOf(application) + " in " + context.region().id();
    }

    /** SSM stores text: a value that is not UTF-8, or too long, is refused without being shown. */
    private static String text(String name, byte[] value) {
        if (value.length == 0) {
            throw new InvalidInputException("the value of secret " + name + " is empty: SSM stores no empty parameter");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new InvalidInputException("the value of secret " + name + " has " + value.length
                    + " bytes; an SSM parameter holds at most " + MAX_VALUE_BYTES);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("the value of secret " + name + " is not UTF-8 text, which SSM requires "
                    + "(encode binary values, e.g. with base64)");
        }
    }
}
