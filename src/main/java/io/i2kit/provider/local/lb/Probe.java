package io.i2kit.provider.local.lb;

import java.time.Duration;

/** One blocking health probe against a backend endpoint; never throws, every failure is a verdict. */
interface Probe {
    /** @param forwards QEMU's view of forwarded connections, when the target is a hostfwd port */
    ProbeResult probe(Endpoint target, int instancePort, java.util.Optional<ForwardedConnections> forwards,
                      Duration timeout);
}
