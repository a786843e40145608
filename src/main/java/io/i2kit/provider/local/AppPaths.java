package io.i2kit.provider.local;

import io.i2kit.build.OwnerOnly;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
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

    /**
     * Creates the state directory 0700, whatever the umask (missing parents, {@code apps/} on a new
     * home, 0700 too), and returns it: whoever creates it first, CLI or supervisor, the same.
     */
    public Path create() throws IOException {
        return OwnerOnly.directory(root);
    }

    /** The desired state last applied and the replicas running, for status and logs. */
    public Path state() {
        return root.resolve("state.json");
    }

    public Path pid() {
        return root.resolve("supervisor.pid");
    }

    /** What each service's running VMs were started from, written with the state: what a new supervisor adopts. */
    public Path running() {
        return root.resolve("running.json");
    }

    /** Held (flock) by the application's one supervisor for as long as it lives. */
    public Path supervisorLock() {
        return root.resolve("supervisor.lock");
    }

    /** Held by an {@code up} while it finds or starts the supervisor, so that two never start two. */
    public Path startLock() {
        return root.resolve("start.lock");
    }

    /** The VMs' work directories. */
    public Path vms() {
        return root.resolve("vms");
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

    /**
     * The volumes' disk files, {@code <service>/r<N>/<volume>.img}: what {@code down} keeps unless
     * asked to delete the data.
     */
    public Path volumes() {
        return root.resolve("volumes");
    }

    /** The disk file of volume {@code volume} of replica {@code replica} of {@code service}. */
    public Path volume(String service, int replica, String volume) {
        return volumes().resolve(service).resolve("r" + replica).resolve(volume + ".img");
    }

    /**
     * The application's secrets ({@code io.i2kit.secret.LocalSecretStore}): 0700, kept by
     * {@code down}. Each VM's values go into a file of its work directory only while QEMU starts.
     */
    public Path secrets() {
        return root.resolve("secrets");
    }

    /** The local CA of the whole {@code $I2KIT_HOME} (this is {@code $I2KIT_HOME/apps/<app>}), shared by its applications. */
    public Path ca() {
        return root.toAbsolutePath().getParent().getParent().resolve("ca");
    }

    /** Private load balancers' Unix sockets, in a directory only the owner may enter. */
    public Path sockets() {
        return root.resolve("lb");
    }
}
