package io.i2kit.manifest;

import io.i2kit.manifest.KubernetesSpec.Metadata;
import io.i2kit.manifest.KubernetesSpec.VolumeClaim;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a v1 PersistentVolumeClaim for the size it requests. Which storage serves it is i2kit's
 * choice on each target (a disk file locally, gp3 on AWS), so the class and modes are not used.
 */
final class KubernetesClaimReader {
    static final Set<String> SPEC_KEYS = Set.of("resources", "accessModes", "storageClassName", "volumeMode");
    /** Kubernetes quantities: binary and decimal suffixes. */
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");
    private static final Map<String, Long> FACTORS = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30,
            "Ti", 1L << 40, "Pi", 1L << 50, "k", 1000L, "M", 1000_000L, "G", 1000_000_000L, "T", 1000_000_000_000L,
            "P", 1000_000_000_000_000L);

    private final Binder in;

    KubernetesClaimReader(Binder in) {
        this.in = in;
    }

    Optional<VolumeClaim> read(Mapping document) {
        in.warnUnsupported(document, "", KubernetesDeploymentReader.OBJECT_KEYS, KubernetesSpec.UNSUPPORTED);
        Optional<Metadata> metadata = Metadata.read(in, document, KubernetesDeploymentReader.METADATA_KEYS);
        Optional<Mapping> spec = in.value(document, "spec", "").flatMap(n -> in.mapping(n, "spec"));
        if (metadata.isEmpty() || spec.isEmpty()) {
            return Optional.empty();
        }
        in.warnUnsupported(spec.get(), "spec", SPEC_KEYS, KubernetesSpec.UNSUPPORTED);
        Optional<YamlNode> storage = in.value(spec.get(), "resources", "spec")
                .flatMap(n -> in.mapping(n, "spec.resources"))
                .flatMap(r -> in.value(r, "requests", "spec.resources"))
                .flatMap(n -> in.mapping(n, "spec.resources.requests"))
                .flatMap(r -> in.value(r, "storage", "spec.resources.requests"));
        if (storage.isEmpty()) {
            in.error(spec.get().position(), "spec.resources.requests.storage", "missing; expected the size, e.g. 1Gi");
            return Optional.empty();
        }
        String path = "spec.resources.requests.storage";
        return in.string(storage.get(), path).flatMap(text -> {
            Matcher m = QUANTITY.matcher(text.trim());
            if (!m.matches()) {
                in.error(storage.get(), path, "expected a quantity such as 1Gi or 500M, found \"" + text + "\"");
                return Optional.empty();
            }
            BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(
                    m.group(2) == null ? 1 : FACTORS.get(m.group(2))));
            if (bytes.compareTo(BigDecimal.valueOf(Volume.MIN_SIZE)) < 0 || bytes.compareTo(BigDecimal.valueOf(Volume.MAX_SIZE)) > 0) {
                in.error(storage.get(), path, "expected a size from 16Mi to 16Ti, found " + text);
                return Optional.empty();
            }
            return Optional.of(new VolumeClaim(metadata.get(), bytes.longValue(), storage.get()));
        });
    }
}
