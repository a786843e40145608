package io.i2kit.provider.local.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running QEMU's command line says about it. A pid file alone is not proof: after a reboot
 * or a long outage the pid may belong to another program, and killing it would be a disaster. The
 * serial console's file, which lies in the VM's own work directory, is.
 */
record VmProcessInfo(List<String> arguments) {
    private static final Pattern HOSTFWD = Pattern.compile("hostfwd=tcp:127\\.0\\.0\\.1:(\\d+)-:(\\d+)");

    VmProcessInfo {
        arguments = List.copyOf(arguments);
    }

    /** The command line of a live process, from {@code /proc}; empty when the process is gone. */
    static Optional<VmProcessInfo> read(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return Optional.empty(); // a zombie or a kernel thread
            }
            String text = new String(raw, StandardCharsets.UTF_8);
            return Optional.of(new VmProcessInfo(Arrays.asList(text.split("\0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether this is the QEMU of the VM whose files are in {@code workDir}. */
    boolean isVmOf(Path workDir) {
        Path dir = workDir.toAbsolutePath().normalize();
        String console = QemuCommand.consoleChardev(dir);
        // Earlier versions of i2kit wrote the console with -serial file:: down must find their VMs too.
        String earlier = "file:" + dir.resolve(QemuCommand.CONSOLE);
        for (int i = 0; i + 1 < arguments.size(); i++) {
            String option = arguments.get(i);
            String value = arguments.get(i + 1);
            if (option.equals("-chardev") && value.equals(console) || option.equals("-serial") && value.equals(earlier)) {
                return true;
            }
        }
        return false;
    }

    /** The work directory of the console file its {@code -chardev} names, if this is an i2kit VM's command line. */
    Optional<Path> consoleDir() {
        String prefix = "file,id=console,path=";
        for (int i = 0; i + 1 < arguments.size(); i++) {
            String value = arguments.get(i + 1);
            if (arguments.get(i).equals("-chardev") && value.startsWith(prefix)) {
                String file = value.substring(prefix.length()).replaceFirst(",append=on$", "");
                Path console = Path.of(file);
                return console.getParent() == null ? Optional.empty() : Optional.of(console.getParent());
            }
        }
        return Optional.empty();
    }

    /** Guest port to host port, as the {@code hostfwd} options say. */
    Map<Integer, Integer> hostPorts() {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i + 1 < arguments.size(); i++) {
            if (arguments.get(i).equals("-nic")) {
                Matcher m = HOSTFWD.matcher(arguments.get(i + 1));
                while (m.find()) {
                    ports.put(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
                }
            }
        }
        return ports;
    }
}
