package io.i2kit.cli;

import io.i2kit.InvalidInputException;
import io.i2kit.provider.local.vm.Accelerator;
import picocli.CommandLine.Option;

/** {@code --accel auto|kvm|tcg} (or {@code I2KIT_ACCEL}) on every command that boots VMs. */
final class AcceleratorOptions {
    @Option(names = "--accel", paramLabel = "auto|kvm|tcg", defaultValue = "${env:I2KIT_ACCEL:-auto}",
            description = "How local VMs run: auto (KVM once a probe saw it boot Linux here, else TCG), kvm (fail "
                    + "if it cannot work) or tcg (software emulation). Default: ${DEFAULT-VALUE} (I2KIT_ACCEL).")
    String accel;

    Accelerator.Mode mode() {
        return Accelerator.Mode.parse(accel).orElseThrow(() -> new InvalidInputException(
                "--accel (or I2KIT_ACCEL): expected auto, kvm or tcg, found \"" + accel + "\""));
    }
}
