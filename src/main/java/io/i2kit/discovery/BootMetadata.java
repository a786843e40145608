package io.i2kit.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a VM learns at boot about where it runs: the one channel for per-target values, so that
 * images stay identical across targets. Serialised in the JSON form LinuxKit's metadata package
 * reads: every entry becomes a file under {@code /run/config/i2kit/}.
 *
 * @param hosts discovery names with the addresses they resolve to on this target; empty where
 *              DNS answers them (AWS's private hosted zone)
 * @param volumes  this replica's volumes: the disk that holds each one, by serial (locally) or by
 *                 EBS volume id (on AWS, where the VM attaches it itself)
 * @param secrets  the secrets its containers read, by name and version: never values. The version
 *                 makes a changed secret a change of the VM, which is then replaced.
 * @param logs     where the VM ships its containers' and its init's lines (AWS only): a local VM's
 *                 console is its log, so it ships nothing
 */
public record BootMetadata(String application, String service, String search, List<Host> hosts,
                           List<VolumeDisk> volumes, List<SecretVersion> secrets, Optional<LogTarget> logs) {
    public BootMetadata {
        hosts = List.copyOf(hosts);
        volumes = List.copyOf(volumes);
        secrets = List.copyOf(secrets);
    }

    public BootMetadata(String application, String service, String search, List<Host> hosts,
                        List<VolumeDisk> volumes, List<SecretVersion> secrets) {
        this(application, service, search, hosts, volumes, secrets, Optional.empty());
    }

    public BootMetadata(String application, String service, String search, List<Host> hosts) {
        this(application, service, search, hosts, List.of(), List.of());
    }

    public BootMetadata withVolumes(List<VolumeDisk> newVolumes) {
        return new BootMetadata(application, service, search, hosts, newVolumes, secrets, logs);
    }

    public BootMetadata withSecrets(List<SecretVersion> newSecrets) {
        return new BootMetadata(application, service, search, hosts, volumes, newSecrets, logs);
    }

    public BootMetadata withLogs(LogTarget target) {
        return new BootMetadata(application, service, search, hosts, volumes, secrets, Optional.of(target));
    }

    /**
     * A CloudWatch Logs group, {@code /i2kit/<app>/<service>}, in the instance's own region (the
     * VM reads that from its identity document): streams {@code <instance-id>/<container>} and
     * {@code <instance-id>/init}.
     */
    public record LogTarget(String group) {
        public static LogTarget of(String application, String service) {
            return new LogTarget("/i2kit/" + application + "/" + service);
        }
    }

    /** A volume and the disk that holds it: a serial (local) or an EBS volume id ({@code vol-...}). */
    public record VolumeDisk(String volume, String disk) {}

    /** A secret by name and version (a local counter, or the SSM parameter's version). */
    public record SecretVersion(String name, long version) {}

    /** One {@code /etc/hosts} line: an address and the names that resolve to it. */
    public record Host(String address, List<String> names) {
        public Host {
            names = List.copyOf(names);
        }
    }

    /** The secrets named in a payload {@link #toJson} wrote, in its order; none when it names none. */
    public static List<SecretVersion> secretsOf(String json) {
        try {
            String content = new ObjectMapper().readTree(json).path("i2kit").path("entries").path("secrets")
                    .path("content").asText("");
            return content.lines().filter(l -> !l.isBlank()).map(l -> l.split(" "))
                    .map(p -> new SecretVersion(p[0], Long.parseLong(p[1]))).toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a boot metadata payload: " + e.getMessage(), e);
        }
    }

    /** A payload {@link #toJson} wrote without its secrets' versions: the rest of what the VM is told. */
    public static String withoutSecrets(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = new ObjectMapper().readTree(json);
            if (root.path("i2kit").path("entries") instanceof ObjectNode entries) {
                entries.remove("secrets");
            }
            return root.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a boot metadata payload: " + e.getMessage(), e);
        }
    }

    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode entries = root.putObject("i2kit").putObject("entries");
        entries.putObject("application").put("content", application);
        entries.putObject("service").put("content", service);
        entries.putObject("search").put("content", search);
        if (!hosts.isEmpty()) {
            entries.putObject("hosts").put("content", hosts.stream()
                    .map(h -> h.address() + " " + String.join(" ", h.names()))
                    .collect(Collectors.joining("\n", "", "\n")));
        }
        if (!volumes.isEmpty()) {
            ObjectNode dir = entries.putObject("volumes").putObject("entries");
            volumes.forEach(v -> dir.putObject(v.volume()).put("content", v.disk()));
        }
        if (!secrets.isEmpty()) {
            entries.putObject("secrets").put("content", secrets.stream()
                    .map(v -> v.name() + " " + v.version())
                    .collect(Collectors.joining("\n", "", "\n")));
        }
        logs.ifPresent(l -> entries.putObject("logs").putObject("entries").putObject("group").put("content", l.group()));
        return root.toString();
    }
}
