package io.i2kit.provider.local;

import io.i2kit.provider.local.vm.Vm;
import java.time.Instant;

/** A VM of a service, its id ({@code <service>-g<generation>-r<index>}) and when it started. */
record Replica(String id, int generation, Vm vm, Instant started) {
}
