package io.i2kit.manifest;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** Reads an environment file ({@code -e aws.yml}): only what depends on the target. */
public final class TargetReader {
    static final Set<String> KEYS = Set.of("provider", "region", "vpc", "subnets", "public_zone", "certificate", "key_pair",
            "snapshots");

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
        if (provider == Target.Provider.LOCAL) {
            for (String key : Set.of("region", "vpc", "subnets", "public_zone", "key_pair", "snapshots")) {
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
}
