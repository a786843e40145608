package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --accel auto|kvm|tcg} (or {@code I2KIT_ACCEL}) on every command that boots VMs. */
final class AcceleratorOptions {
    private static final Set<String> MODES = Set.of("auto", "kvm", "tcg");

    @Option(names = "--accel", paramLabel = "auto|kvm|tcg", defaultValue = "${env:I2KIT_ACCEL:-auto}",
            description = "How local VMs run: auto (KVM once a probe saw it boot Linux here, else TCG), kvm (fail "
                    + "if it cannot work) or tcg (software emulation). Default: ${DEFAULT-VALUE} (I2KIT_ACCEL).")
    String accel;

    /** Checked here, before anything is loaded or built. */
    String mode() {
        String mode = accel.strip().toLowerCase(Locale.ROOT);
        if (!MODES.contains(mode)) {
            throw new InvalidInputException("--accel (or I2KIT_ACCEL): expected auto, kvm or tcg, found \"" + accel + "\"");
        }
        return mode;
    }
}
