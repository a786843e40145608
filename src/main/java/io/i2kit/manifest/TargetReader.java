package io.i2kit.manifest;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads an environment file ({@code -e aws.yml}): only what depends on the target. */
public final class TargetReader {
    static final Set<String> KEYS = Set.of("provider", "region", "vpc", "subnets", "public_zone", "certificate", "key_pair",
            "snapshots", "load_balancer");
    /** An S3 bucket name as S3 accepts new ones: 3 to 63 lowercase letters, digits, dots and hyphens. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private TargetReader() {
    }

    public static Target read(Path file) {
        String label = file.toString();
        Problems problems = new Problems();
        Binder in = new Binder(problems, new SourceMap(label));
        var docs = new YamlReader().read(file, label);
        if (docs.isEmpty()) {
            return Target.LOCAL;
        }
        Target target = read(docs.get(0), in);
        problems.throwIfErrors(label);
        return target;
    }

    static Target read(YamlNode root, Binder in) {
        Optional<YamlNode.Mapping> found = in.mapping(root, "");
        if (found.isEmpty()) {
            return Target.LOCAL;
        }
        YamlNode.Mapping m = found.get();
        in.allowOnly(m, "", KEYS);
        Target.Provider provider = in.string(m, "provider", "").flatMap(p -> switch (p) {
            case "local" -> Optional.of(Target.Provider.LOCAL);
            case "aws" -> Optional.of(Target.Provider.AWS);
            default -> {
                in.error(m.get("provider").orElseThrow(), "provider", "unknown provider \"" + p + "\"; expected local or aws");
                yield Optional.<Target.Provider>empty();
            }
        }).orElse(Target.Provider.LOCAL);
        Target target = new Target(provider, in.string(m, "region", ""), in.string(m, "vpc", ""),
                in.stringList(m, "subnets", ""), in.string(m, "public_zone", ""), in.string(m, "certificate", ""),
                in.string(m, "key_pair", ""));
        target = snapshotRetainDays(m, in).map(target::withSnapshotRetainDays).orElse(target);
        target = loadBalancer(m, in).map(target::withLoadBalancer).orElse(target);
        if (provider == Target.Provider.LOCAL) {
            for (String key : Set.of("region", "vpc", "subnets", "public_zone", "key_pair", "snapshots", "load_balancer")) {
                m.get(key).ifPresent(n -> in.error(n, key, "applies to provider aws only"));
            }
        }
        if (target.vpc().isPresent() != !target.subnets().isEmpty()) {
            in.error(m.get(target.vpc().isPresent() ? "vpc" : "subnets").orElseThrow(), target.vpc().isPresent() ? "subnets" : "vpc",
                    "an existing VPC needs its subnets and subnets need their VPC: set both or neither");
        } else if (target.subnets().size() == 1) {
            in.error(m.get("subnets").orElseThrow(), "subnets", "expected subnets in at least two availability zones");
        }
        return target;
    }

    /** {@code snapshots: {retain_days: N}}: how long scheduled snapshots of volumes are kept. */
    private static Optional<Integer> snapshotRetainDays(YamlNode.Mapping m, Binder in) {
        return in.value(m, "snapshots", "").flatMap(n -> in.mapping(n, "snapshots")).flatMap(s -> {
            in.allowOnly(s, "snapshots", Set.of("retain_days"));
            return in.integer(s, "retain_days", "snapshots", 1, Target.MAX_SNAPSHOT_RETAIN_DAYS);
        });
    }

    /** {@code load_balancer: {access_logs: s3://bucket/prefix, deletion_protection: true}}. */
    private static Optional<Target.LoadBalancer> loadBalancer(YamlNode.Mapping m, Binder in) {
        return in.value(m, "load_balancer", "").flatMap(n -> in.mapping(n, "load_balancer")).map(lb -> {
            in.allowOnly(lb, "load_balancer", Set.of("access_logs", "deletion_protection"));
            Optional<Target.AccessLogs> logs = in.value(lb, "access_logs", "load_balancer")
                    .flatMap(n -> in.string(n, "load_balancer.access_logs").flatMap(url -> accessLogs(url, n, in)));
            boolean protection = in.bool(lb, "deletion_protection", "load_balancer").orElse(false);
            return new Target.LoadBalancer(logs, protection);
        });
    }

    private static Optional<Target.AccessLogs> accessLogs(String url, YamlNode at, Binder in) {
        String path = "load_balancer.access_logs";
        if (!url.startsWith("s3://")) {
            in.error(at, path, "expected s3://BUCKET[/PREFIX], found \"" + url + "\"");
            return Optional.empty();
        }
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            in.error(at, path, "\"" + bucket + "\" is not an S3 bucket name; expected 3 to 63 lowercase letters, digits, "
                    + "dots and hyphens, starting and ending with a letter or digit");
            return Optional.empty();
        }
        // Load balancers refuse both: they write under PREFIX/AWSLogs/ACCOUNT/ themselves.
        if (prefix.startsWith("/") || prefix.contains("AWSLogs")) {
            in.error(at, path, "the prefix \"" + prefix + "\" may not start with a slash or contain \"AWSLogs\", "
                    + "which the load balancer adds itself");
            return Optional.empty();
        }
        return Optional.of(new Target.AccessLogs(bucket, prefix));
    }
}
