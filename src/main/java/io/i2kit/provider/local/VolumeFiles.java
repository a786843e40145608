package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import io.i2kit.provider.local.DesiredState.ServiceState;
import io.i2kit.provider.local.vm.DiscoveryPlan;
import io.i2kit.provider.local.vm.VmSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local volumes: one sparse raw disk file per volume of each replica,
 * {@code $I2KIT_HOME/apps/<app>/volumes/<service>/r<N>/<volume>.img}, created (0600, in 0700
 * directories) when the replica first starts and then reattached to every VM of that replica
 * number: across updates, healing, supervisor restarts and {@code down}/{@code up}. The VM's init
 * formats a new one (see {@code volumes.sh}); nothing here reads or writes its content.
 */
final class VolumeFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Pattern REPLICA = Pattern.compile("r(\\d+)");

    private VolumeFiles() {
    }

    /** One volume's disk file as found on disk. */
    record Found(String service, int replica, String volume, Path file, long size, long used) {
        /** {@code db/r0/data}: how the CLI names it. */
        String name() {
            return service + "/r" + replica + "/" + volume;
        }

        /** {@code 1.0 GiB, 12 MiB used}. */
        String sizes() {
            return bytes(size) + (used < 0 ? "" : ", " + bytes(used) + " used");
        }
    }

    /**
     * The disks of replica {@code replica} of {@code service}, in serial order, creating the files
     * that do not exist yet; {@code notes} hears of each file created.
     */
    static List<VmSpec.Disk> disks(AppPaths paths, ServiceState service, int replica, Consumer<String> notes) {
        List<VmSpec.Disk> disks = new ArrayList<>();
        for (int i = 0; i < service.volumes().size(); i++) {
            DesiredState.VolumeState volume = service.volumes().get(i);
            Path file = paths.volume(service.name(), replica, volume.name());
            if (create(paths, file, volume.sizeBytes())) {
                notes.accept("created volume " + service.name() + "/r" + replica + "/" + volume.name() + " ("
                        + bytes(volume.sizeBytes()) + ") at " + file);
            }
            disks.add(new VmSpec.Disk(file, DiscoveryPlan.volumeSerial(i)));
        }
        return disks;
    }

    /** Creates {@code file} sparse at {@code size} bytes unless it exists; whether it did. */
    private static boolean create(AppPaths paths, Path file, long size) {
        try {
            paths.create();
            for (Path dir : List.of(paths.volumes(), file.getParent().getParent(), file.getParent())) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                    Files.setPosixFilePermissions(dir, DIRECTORY); // whatever the umask
                }
            }
            if (Files.exists(file)) {
                return false;
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
            Files.setPosixFilePermissions(tmp, FILE);
            try (RandomAccessFile raf = new RandomAccessFile(tmp.toFile(), "rw")) {
                raf.setLength(size); // a hole: blocks are taken as the guest writes them
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new I2kitException("cannot create the volume file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every volume file of the application, by service, replica and volume. */
    static List<Found> list(AppPaths paths) {
        List<Found> found = new ArrayList<>();
        if (!Files.isDirectory(paths.volumes())) {
            return found;
        }
        try (Stream<Path> walk = Files.walk(paths.volumes(), 3)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = paths.volumes().relativize(file);
                String name = file.getFileName().toString();
                if (relative.getNameCount() != 3 || !name.endsWith(".img")) {
                    continue;
                }
                Matcher replica = REPLICA.matcher(relative.getName(1).toString());
                if (!replica.matches()) {
                    continue;
                }
                found.add(new Found(relative.getName(0).toString(), Integer.parseInt(replica.group(1)),
                        name.substring(0, name.length() - ".img".length()), file, Files.size(file), used(file)));
            }
        } catch (IOException e) {
            throw new I2kitException("cannot list the volumes in " + paths.volumes() + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Found::service).thenComparingInt(Found::replica).thenComparing(Found::volume));
        return found;
    }

    /** Removes every volume file of the application; what it removed. */
    static List<Found> delete(AppPaths paths) {
        List<Found> found = list(paths);
        LocalProvider.deleteTree(paths.volumes());
        return found;
    }

    /**
     * The bytes the sparse file takes on the host (what the guest wrote, file system included),
     * from {@code du}: Java reads no block counts. -1 when {@code du} cannot tell.
     */
    private static long used(Path file) {
        try {
            Process du = new ProcessBuilder("du", "-k", "--", file.toString()).redirectErrorStream(true).start();
            String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!du.waitFor(10, TimeUnit.SECONDS) || du.exitValue() != 0) {
                return -1;
            }
            return Long.parseLong(out.split("\\s+", 2)[0]) * 1024;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code 1.0 GiB}, {@code 64 MiB}, {@code 12 KiB}. */
    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return (n >> 20) + " MiB";
        }
        return (n >> 10) + " KiB";
    }
}
