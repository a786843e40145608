package io.i2kit.provider.local.vm;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How QEMU runs guest code: KVM (hardware) or TCG (software emulation, several times slower to boot). */
public enum Accelerator {
    KVM, TCG;

    List<String> options() {
        return this == KVM ? List.of("-enable-kvm", "-cpu", "host") : List.of();
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the user asks for: {@code auto} probes KVM and falls back to TCG; the others are forced. */
    public enum Mode {
        AUTO, KVM, TCG;

        /** {@code auto}, {@code kvm} or {@code tcg}, in any case; empty for anything else. */
        public static Optional<Mode> parse(String text) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(text.strip())) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The accelerator VMs will use and, when it is not what was asked for or probed, why.
     *
     * @param reason why KVM is not used (empty when it is, or when TCG was forced)
     */
    public record Choice(Accelerator accelerator, Optional<String> reason) {
    }
}
