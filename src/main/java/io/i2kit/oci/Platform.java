package io.i2kit.oci;

import java.util.Optional;

/** An OS and architecture an image is built for; i2kit's VMs are {@link #LINUX_AMD64}. */
public record Platform(String os, String architecture, Optional<String> variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", Optional.empty());
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", Optional.of("v8"));

    /** Whether an index entry for {@code candidate} serves this platform (a missing variant matches). */
    public boolean matches(Platform candidate) {
        return os.equals(candidate.os()) && architecture.equals(candidate.architecture())
                && (variant.isEmpty() || candidate.variant().isEmpty() || variant.equals(candidate.variant()));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
