package io.i2kit.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a VM learns at boot about where it runs: the one channel for per-target values, so that
 * images stay identical across targets. Serialised in the JSON form LinuxKit's metadata package
 * reads: every entry becomes a file under {@code /run/config/i2kit/}.
 *
 * @param hosts discovery names with the addresses they resolve to on this target; empty where
 *              DNS answers them (AWS's private hosted zone)
 */
public record BootMetadata(String application, String service, String search, List<Host> hosts) {
    public BootMetadata {
        hosts = List.copyOf(hosts);
    }

    /** One {@code /etc/hosts} line: an address and the names that resolve to it. */
    public record Host(String address, List<String> names) {
        public Host {
            names = List.copyOf(names);
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
        return root.toString();
    }
}
