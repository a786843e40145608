package io.i2kit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One QEMU (TCG) VM booting a kernel and initrd with user-mode networking, its serial console in a
 * file. Closing it kills QEMU; QEMU also runs under timeout(1), so it cannot outlive a dead JVM.
 */
public final class QemuVm implements AutoCloseable {
    private static final Duration LIFETIME = Duration.ofMinutes(4);

    private final Process process;
    private final Path console;
    private final Map<Integer, Integer> hostPorts;
    private final long startedNanos = System.nanoTime();

    private QemuVm(Process process, Path console, Map<Integer, Integer> hostPorts) {
        this.process = process;
        this.console = console;
        this.hostPorts = hostPorts;
    }

    /**
     * Boots a kernel and initrd.
     *
     * @param guestPorts guest TCP ports to forward from 127.0.0.1 on free host ports
     * @param metadata   a payload passed as fw_cfg opt/i2kit/metadata, or null
     */
    public static QemuVm boot(Path kernel, Path initrd, int memoryMb, List<Integer> guestPorts, Path metadata, Path dir)
            throws IOException {
        return boot(kernel, initrd, "console=ttyS0 quiet panic=-1", memoryMb, guestPorts, metadata, dir);
    }

    public static QemuVm boot(Path kernel, Path initrd, String cmdline, int memoryMb, List<Integer> guestPorts,
                              Path metadata, Path dir) throws IOException {
        return start(List.of("-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", cmdline),
                memoryMb, guestPorts, metadata, dir, Extras.NONE);
    }

    /** Boots a raw-efi disk with OVMF, the UEFI firmware (a private copy of its variable store). */
    public static QemuVm bootEfi(Path disk, int memoryMb, List<Integer> guestPorts, Path metadata, Path dir)
            throws IOException {
        return bootEfi(disk, memoryMb, guestPorts, metadata, dir, Extras.NONE);
    }

    /** Boots a raw-efi disk with OVMF, the VM changed by {@code extras} (such as {@link Extras#ec2}). */
    public static QemuVm bootEfi(Path disk, int memoryMb, List<Integer> guestPorts, Path metadata, Path dir,
                                 Extras extras) throws IOException {
        Path vars = dir.resolve("OVMF_VARS.fd");
        Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> boot = new ArrayList<>(List.of(
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", "if=pflash,format=raw,file=" + vars));
        if (extras.nvme()) {
            boot.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=none,id=vol0,readonly=on",
                    "-device", "nvme,drive=vol0,serial=vol0"));
        } else {
            boot.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=virtio,readonly=on"));
        }
        return start(boot, memoryMb, guestPorts, metadata, dir, extras);
    }

    /**
     * What a test changes in a VM: options appended to its user-mode NIC ({@code user,model=virtio-net-pci,...}),
     * further QEMU arguments, and whether {@link #bootEfi} attaches the disk to an NVMe controller
     * rather than as virtio-blk.
     */
    public record Extras(List<String> nicOptions, List<String> arguments, boolean nvme) {
        public static final Extras NONE = new Extras(List.of(), List.of(), false);

        public Extras {
            nicOptions = List.copyOf(nicOptions);
            arguments = List.copyOf(arguments);
        }

        /**
         * The VM as an EC2 (Nitro) instance sees its machine: SMBIOS system manufacturer "Amazon EC2"
         * (DMI's {@code sys_vendor}) and product the instance type, the root volume on an NVMe
         * controller, and the instance metadata service at 169.254.169.254:80, here the host's
         * {@code 127.0.0.1:metadataPort}. QEMU forwards only addresses inside its user network, so
         * the network is 169.254.0.0/16 instead of 10.0.2.0/24; a command target ({@code busybox nc})
         * serves every connection, a tcp: target only the first.
         */
        public static Extras ec2(String instanceType, int metadataPort) {
            return new Extras(
                    List.of("net=169.254.0.0/16", "guestfwd=tcp:169.254.169.254:80-cmd:" + busybox() + " nc 127.0.0.1 "
                            + metadataPort),
                    List.of("-smbios", "type=1,manufacturer=Amazon EC2,product=" + instanceType),
                    true);
        }

        private static Path busybox() {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "busybox");
                if (Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
            throw new AssertionError("busybox is not on the PATH; its nc carries the guest's metadata requests"
                    + " (apt-get install busybox-static)");
        }
    }

    private static QemuVm start(List<String> boot, int memoryMb, List<Integer> guestPorts, Path metadata, Path dir,
                                Extras extras) throws IOException {
        Map<Integer, Integer> hostPorts = new java.util.LinkedHashMap<>();
        StringBuilder nic = new StringBuilder("user,model=virtio-net-pci");
        extras.nicOptions().forEach(option -> nic.append(',').append(option));
        for (int guestPort : guestPorts) {
            int hostPort = freePort();
            hostPorts.put(guestPort, hostPort);
            nic.append(",hostfwd=tcp:127.0.0.1:").append(hostPort).append("-:").append(guestPort);
        }
        Path console = dir.resolve("console.log");
        List<String> command = new ArrayList<>(List.of(
                "timeout", "--kill-after=5", String.valueOf(LIFETIME.toSeconds()),
                "qemu-system-x86_64", "-m", String.valueOf(memoryMb), "-smp", "1",
                "-display", "none", "-monitor", "none", "-serial", "file:" + console, "-no-reboot"));
        command.addAll(boot);
        command.addAll(List.of("-nic", nic.toString()));
        command.addAll(extras.arguments());
        if (metadata != null) {
            command.addAll(List.of("-fw_cfg", "name=opt/i2kit/metadata,file=" + metadata));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        return new QemuVm(process, console, hostPorts);
    }

    public String console() {
        try {
            return Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The body of GET path on the guest port, if an HTTP 200 answer came back. */
    public Optional<String> get(int guestPort, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", hostPorts.get(guestPort)), 1000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: vm\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.") || !response.split("\r\n", 2)[0].contains(" 200")) {
                return Optional.empty();
            }
            int body = response.indexOf("\r\n\r\n");
            return Optional.of(body < 0 ? "" : response.substring(body + 4));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Polls until the condition yields a value, the VM dies or the timeout passes; the failure
     * names what was awaited and shows the end of the console.
     */
    public <T> T await(String what, Duration timeout, Supplier<Optional<T>> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what
                        + (process.isAlive() ? "" : " (QEMU exited)") + "; console ends with:\n" + tail(40));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    public String tail(int lines) {
        List<String> all = List.of(console().split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
