package io.i2kit.provider;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;

/**
 * The results of a provider's operations, one shape for every target so the CLI renders them
 * without knowing which target answered. Each carries the provider's own full record as
 * {@code detail}: that is what {@code --output json} prints, with every field the target knows.
 */
public final class Reports {
    private Reports() {
    }

    /** Whether a service answers from outside, only to the application, or has no ports. */
    public enum Reach { PUBLIC, PRIVATE, NONE }

    /**
     * One service: {@code ready} of {@code desired} replicas serve ({@code readiness} names what
     * ready means there: healthy, running, in service); its image digest; its endpoints (URLs of a
     * public service, discovery names of a private one); {@code state} as the target names it.
     */
    public record Service(String name, long ready, int desired, String readiness, Optional<String> image,
                          Reach reach, List<String> endpoints, Optional<String> state) {
        public Service {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * What runs: {@code where} names the target (and, on a cloud, its region and environment);
     * {@code notes}, lines printed after the services (the local CA's file).
     */
    public record Status(String application, String where, List<Service> services, @JsonValue Object detail,
                         List<String> notes) {
        public Status {
            services = List.copyOf(services);
            notes = List.copyOf(notes);
        }

        public Status(String application, String where, List<Service> services, Object detail) {
            this(application, where, services, detail, List.of());
        }
    }

    /** One line of a plan: what would happen ({@code action}) to what, why, and its parts (a stack's resources). */
    public record Change(String action, String subject, String detail, List<Change> parts) {
        public Change {
            parts = List.copyOf(parts);
        }

        public Change(String action, String subject, String detail) {
            this(action, subject, detail, List.of());
        }
    }

    public record Plan(List<Change> changes, @JsonValue Object detail) {
        public Plan {
            changes = List.copyOf(changes);
        }
    }

    /** What up did ({@code changes}: images made or reused, stacks deployed; empty locally) and what runs now. */
    public record Deployment(List<Change> changes, Status status, @JsonValue Object detail) {
        public Deployment {
            changes = List.copyOf(changes);
        }
    }

    /** What down removed; {@code running} is false when nothing of the application was there. */
    public record Removal(String application, boolean running, List<Change> removed, @JsonValue Object detail) {
        public Removal {
            removed = List.copyOf(removed);
        }
    }

    /**
     * A line a replica (a VM, an instance: {@code source}) wrote: a container's output, or the VM's
     * {@code init}; {@code time} when the target records it (CloudWatch Logs does, a console does not).
     */
    public record LogLine(String source, String container, java.util.Optional<java.time.Instant> time, String text) {
        /** The container of the init's own lines ({@code i2kit: ...}). */
        public static final String INIT = "init";
        /** The container of any other console line (the kernel's, the firmware's). */
        public static final String CONSOLE = "console";

        /** {@code vote-1/web}, {@code i-0abc/init}: the VM and the container. */
        public String origin() {
            return source + "/" + container;
        }

        /**
         * As the VM's console shows it, prefixed with the VM: {@code [vote-1] [web] GET /},
         * {@code [i-0abc] i2kit: ...}; the same on every target.
         */
        public String display() {
            boolean vm = container.equals(INIT) || container.equals(CONSOLE);
            return "[" + source + "] " + (vm ? "" : "[" + container + "] ") + text;
        }
    }
}
