package io.i2kit.provider.local.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state QEMU's user network (slirp) keeps for one host connection forwarded into the guest.
 * slirp lists its sockets by QEMU's file descriptor ({@code info usernet} over QMP); the kernel
 * knows which of QEMU's sockets came from which client port ({@code /proc/PID/net/tcp}, by inode).
 * Joining the two names the state of exactly the caller's connection, whatever else is open.
 */
final class SlirpConnections {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW = Pattern.compile("^\\s*TCP\\[([A-Z_]+)\\]\\s+(\\d+)\\s", Pattern.MULTILINE);

    private SlirpConnections() {
    }

    /** slirp's state of the connection, e.g. ESTABLISHED or SYN_SENT; empty once QEMU holds none. */
    static Optional<String> state(long qemuPid, Path qmp, int hostPort, int clientPort) {
        Optional<Long> inode = acceptedSocket(qemuPid, hostPort, clientPort);
        if (inode.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> usernet = QmpProbe.humanCommand(qmp, "info usernet", java.time.Duration.ofSeconds(2));
        if (usernet.isEmpty()) {
            return Optional.of("UNKNOWN");
        }
        String socket = "socket:[" + inode.get() + "]";
        Matcher row = ROW.matcher(usernet.get());
        while (row.find()) {
            try {
                Path fd = Path.of("/proc", Long.toString(qemuPid), "fd", row.group(2));
                if (Files.readSymbolicLink(fd).toString().equals(socket)) {
                    return Optional.of(row.group(1));
                }
            } catch (IOException e) {
                // the descriptor closed meanwhile: not ours
            }
        }
        return Optional.empty();
    }

    /** The inode of QEMU's socket that accepted 127.0.0.1:clientPort on hostPort. */
    static Optional<Long> acceptedSocket(long qemuPid, int hostPort, int clientPort) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(qemuPid), "net", "tcp"));
        } catch (IOException e) {
            return Optional.empty();
        }
        String local = String.format(":%04X", hostPort);
        String remote = String.format(":%04X", clientPort);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                try {
                    return Optional.of(Long.parseLong(f[9]));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
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
