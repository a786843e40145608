package io.i2kit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What a process tree exposes in this host's network namespace. */
public final class HostSockets {
    private HostSockets() {
    }

    /**
     * The TCP sockets that process {@code pid} or its descendants listen on in the test's network
     * namespace (the host's): their socket inodes found in /proc/self/net/tcp{,6} in state LISTEN (0A).
     */
    public static List<String> tcpListeners(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        List<ProcessHandle> processes = new ArrayList<>(ProcessHandle.of(pid).stream().toList());
        processes.addAll(ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).toList());
        for (ProcessHandle p : processes) {
            try (var fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String link = Files.readSymbolicLink(fd).toString();
                        if (link.startsWith("socket:[")) {
                            inodes.add(link.substring(8, link.length() - 1));
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(line.trim());
                }
            }
        }
        return listening;
    }
}
