package io.i2kit.provider.local;

import io.i2kit.store.I2kitHome;
import java.nio.file.Path;

/**
 * Where the local provider keeps an application's state, under {@code $I2KIT_HOME/apps/<app>/}:
 * one supervisor per application, found again by the next {@code i2kit up}, {@code status},
 * {@code logs} or {@code down}.
 */
public record AppPaths(Path root) {
    public static AppPaths of(I2kitHome home, String application) {
        return new AppPaths(home.root().resolve("apps").resolve(application));
    }

    /** The desired state last applied and the replicas running, for status and logs. */
    public Path state() {
        return root.resolve("state.json");
    }

    public Path pid() {
        return root.resolve("supervisor.pid");
    }

    /** The supervisor's control socket: apply, status, down. */
    public Path control() {
        return root.resolve("control.sock");
    }

    public Path log() {
        return root.resolve("supervisor.log");
    }

    /** A VM's work directory: console log, QEMU output, metadata payload, pid. */
    public Path vm(String service, int generation, int replica) {
        return root.resolve("vms").resolve(service + "-g" + generation + "-r" + replica);
    }

    /** Private load balancers' Unix sockets, in a directory only the owner may enter. */
    public Path sockets() {
        return root.resolve("lb");
    }
}
