package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void addsUserAndSystemTicksAfterTheCommandName() {
        // a command name with a space and a parenthesis, as a process may give itself
        String stat = "4242 (qemu (x) 1) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 566 7 8 20 0 5 0 2568841"
                + " 1000000 200 18446744073709551615";
        assertThat(ProcessCpu.parse(stat)).contains(Duration.ofMillis((1234 + 566) * 10));
    }

    @Test
    void aDamagedLineSaysNothing() {
        assertThat(ProcessCpu.parse("4242 qemu S 1")).isEmpty();
        assertThat(ProcessCpu.parse("4242 (qemu) S 1 2 3")).isEmpty();
        assertThat(ProcessCpu.parse("4242 (qemu) S 1 4242 4242 0 -1 4194560 5000 0 0 0 x 566 7 8")).isEmpty();
    }

    /** This JVM has been busy compiling and loading classes: its CPU time is not zero, and grows. */
    @Test
    void readsALiveProcessAndNothingForAMissingOne() {
        long pid = ProcessHandle.current().pid();
        Duration before = ProcessCpu.read(pid).orElseThrow();
        long end = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < end) {
            spin++;
        }
        assertThat(spin).isPositive();
        assertThat(ProcessCpu.read(pid).orElseThrow()).isGreaterThan(before);
        assertThat(ProcessCpu.read(Long.MAX_VALUE)).isEmpty();
    }
}
