package io.i2kit.provider.local.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state QEMU's user network (slirp) keeps for host connections forwarded into the guest.
 * slirp lists its sockets by QEMU's file descriptor ({@code info usernet} over QMP); the kernel
 * lists the sockets of QEMU's network namespace by inode ({@code /proc/PID/net/tcp}). Joining the
 * two gives the state of exactly the connections a caller made, by the inodes that appeared.
 */
final class SlirpConnections {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW = Pattern.compile("^\\s*TCP\\[([A-Z_]+)\\]\\s+(\\d+)\\s", Pattern.MULTILINE);

    private SlirpConnections() {
    }

    /** QEMU's sockets (by inode) that accepted a connection on its namespace's 127.0.0.1:{@code port}. */
    static Set<Long> accepted(long qemuPid, int port) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(qemuPid), "net", "tcp"));
        } catch (IOException e) {
            return Set.of();
        }
        String local = String.format(":%04X", port);
        Set<Long> inodes = new HashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            // the listening socket has no peer (port 0000); accepted ones do
            if (f.length > 9 && f[1].endsWith(local) && !f[2].endsWith(":0000")) {
                try {
                    inodes.add(Long.parseLong(f[9]));
                } catch (NumberFormatException e) {
                    // a malformed line: not one of ours
                }
            }
        }
        return inodes;
    }

    /** slirp's state (ESTABLISHED, SYN_SENT, ...) of each of QEMU's sockets among {@code inodes}. */
    static List<String> states(long qemuPid, Path qmp, Set<Long> inodes) {
        if (inodes.isEmpty()) {
            return List.of();
        }
        Optional<String> usernet = QmpProbe.humanCommand(qmp, "info usernet", java.time.Duration.ofSeconds(2));
        if (usernet.isEmpty()) {
            return List.of("UNKNOWN");
        }
        List<String> states = new ArrayList<>();
        Matcher row = ROW.matcher(usernet.get());
        while (row.find()) {
            try {
                String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(qemuPid), "fd", row.group(2))).toString();
                if (link.startsWith("socket:[") && inodes.contains(Long.parseLong(link.substring(8, link.length() - 1)))) {
                    states.add(row.group(1));
                }
            } catch (IOException | NumberFormatException e) {
                // the descriptor closed meanwhile: not one of these
            }
        }
        return states;
    }

    /** The text of a {@code human-monitor-command} answer, from QMP's JSON lines. */
    static Optional<String> returnText(String qmpOutput) {
        for (String line : qmpOutput.split("\n")) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node != null && node.path("return").isTextual()) {
                    return Optional.of(node.path("return").asText());
                }
            } catch (IOException e) {
                // a partial line: keep reading
            }
        }
        return Optional.empty();
    }
}
