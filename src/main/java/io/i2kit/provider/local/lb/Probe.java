package io.i2kit.provider.local.lb;

import java.time.Duration;

/** One blocking health probe against a host port; never throws, every failure is a verdict. */
interface Probe {
    ProbeResult probe(Endpoint.Tcp target, Duration timeout);
}
