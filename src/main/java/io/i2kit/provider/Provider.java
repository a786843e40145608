package io.i2kit.provider;

import io.i2kit.event.Events;
import java.util.function.Consumer;

/**
 * A target the application runs on: this machine (QEMU VMs behind local load balancers) or a cloud.
 * The release stage builds what {@link #needs()} asks for and hands the release over; the provider
 * does the rest. Every operation reports through {@code events} and returns a typed result; none
 * prints. A new target is one implementation of this and one line in the CLI's factory.
 */
public interface Provider {
    /** What the release stage must build for this target. */
    Needs needs();

    /**
     * Refuses, before anything is built, what cannot work here (missing tools, credentials,
     * memory); fails with an {@link io.i2kit.I2kitException} saying why. {@code up} is empty for a
     * plan, which starts nothing.
     */
    void check(Release release, java.util.Optional<UpOptions> up, Events events);

    /** What {@link #up} would change; starts and uploads nothing. */
    Reports.Plan plan(Release release, Events events);

    /** Brings the target to the release: creates, updates, scales and removes services. */
    Reports.Deployment up(Release release, UpOptions options, Events events);

    /** What runs of the application now. */
    Reports.Status status(String application, Events events);

    /** A service's output, one line at a time, until there is no more (or, when following, until interrupted). */
    void logs(LogsRequest request, Consumer<Reports.LogLine> lines, Events events);

    /** Removes everything of the application from the target. */
    Reports.Removal down(DownRequest request, Events events);

    /** {@code diskImage}: the service's bootable raw-efi disk is needed as well as kernel and initrd. */
    record Needs(boolean diskImage) {
    }

    /** Options of {@code up}; each target ignores what does not concern it. */
    record UpOptions(String accelerator, java.time.Duration healthTimeout, boolean foreground,
                     Consumer<Reports.Deployment> onServing) {
    }

    /**
     * @param since     only lines written at or after this instant (locally, to within the supervisor's
     *                  few-second marks: lines carry no time on a console)
     * @param container only the lines of this container, or of the VM's {@code init}
     */
    record LogsRequest(String application, String service, boolean follow, java.util.Optional<java.time.Instant> since,
                       java.util.Optional<String> container) {
        public LogsRequest(String application, String service, boolean follow) {
            this(application, service, follow, java.util.Optional.empty(), java.util.Optional.empty());
        }

        /** Whether a line of {@code lineContainer} is asked for. */
        public boolean wants(String lineContainer) {
            return container.isEmpty() || container.get().equals(lineContainer);
        }
    }

    /** {@code keepImages}: leave the machine images made for the application (AMIs) in place. */
    /**
     * @param deleteData    also delete the application's volumes (kept by default, and listed)
     * @param finalSnapshot with {@code deleteData}: take a last snapshot of each volume first (AWS)
     */
    record DownRequest(String application, boolean keepImages, boolean deleteData, boolean finalSnapshot) {
        public DownRequest(String application, boolean keepImages) {
            this(application, keepImages, false, true);
        }

        public DownRequest(String application, boolean keepImages, boolean deleteData) {
            this(application, keepImages, deleteData, true);
        }
    }
}
