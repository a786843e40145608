package io.i2kit.secret;

import io.i2kit.I2kitException;
import io.i2kit.manifest.SecretName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local provider's secrets: one file per secret in {@code $I2KIT_HOME/apps/<app>/secrets/}
 * (the directory 0700, every file 0600 from its creation), holding a header line
 * {@code i2kit-secret VERSION UPDATED} and then the value's bytes. A new version is written to a
 * temporary file and renamed over the old one, so a reader sees the old or the new secret whole,
 * never a mix; an exclusive lock on {@code .lock} keeps two {@code secret set}s from giving out one
 * version twice. Only the current version is kept: a VM the supervisor starts receives it.
 */
public final class LocalSecretStore implements SecretStore {
    private static final String MAGIC = "i2kit-secret";
    private static final String LOCK = ".lock";
    private static final String TMP_PREFIX = ".tmp-";

    private final Path dir;
    private final Clock clock;

    public LocalSecretStore(Path dir) {
        this(dir, Clock.systemUTC());
    }

    LocalSecretStore(Path dir, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The store of {@code application} under the i2kit home {@code homeRoot}. */
    public static LocalSecretStore of(Path homeRoot, String application) {
        return new LocalSecretStore(directory(homeRoot, application));
    }

    /** {@code $I2KIT_HOME/apps/<app>/secrets}: kept by {@code down}, like the application's volumes. */
    public static Path directory(Path homeRoot, String application) {
        return homeRoot.resolve("apps").resolve(application).resolve("secrets");
    }

    /** A secret's current version and its value, for the local provider's delivery to a VM. */
    public record Current(long version, byte[] value) {
        public Current {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** Never the value: a record's default would print it into any log that shows this object. */
        @Override
        public String toString() {
            return "Current[version=" + version + "]";
        }
    }

    @Override
    public SecretInfo set(String name, byte[] value) {
        SecretName.check(name);
        SecretValue.check(name, value);
        try {
            createDirectory();
            try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                 FileLock ignored = lockFile.lock()) {
                long version = info(name).map(i -> i.version() + 1).orElse(1L);
                SecretInfo info = new SecretInfo(name, version, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                Path tmp = dir.resolve(TMP_PREFIX + name);
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (var out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    out.write((MAGIC + " " + version + " " + info.updated() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(value);
                }
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return info;
            }
        } catch (IOException e) {
            throw new I2kitException("cannot store secret " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SecretInfo> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<SecretInfo> all = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = f.getFileName().toString();
                if (SecretName.isValid(name)) {
                    info(name).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            throw new I2kitException("cannot list the secrets in " + dir + ": " + e.getMessage(), e);
        }
        return all;
    }

    @Override
    public boolean remove(String name) {
        SecretName.check(name);
        try {
            return Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new I2kitException("cannot remove secret " + name + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> versions(Collection<String> names) {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (String name : names) {
            SecretName.check(name);
            info(name).ifPresent(i -> versions.put(name, i.version()));
        }
        return versions;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    /** The secret's current version and value; empty when it is not set. */
    public Optional<Current> read(String name) {
        SecretName.check(name);
        byte[] all;
        try {
            all = Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new I2kitException("cannot read secret " + name + " in " + dir + ": " + e.getMessage(), e);
        }
        int newline = indexOf(all, (byte) '\n');
        SecretInfo info = header(name, newline < 0 ? "" : new String(all, 0, newline, StandardCharsets.US_ASCII));
        return Optional.of(new Current(info.version(), Arrays.copyOfRange(all, newline + 1, all.length)));
    }

    private Optional<SecretInfo> info(String name) {
        Path file = dir.resolve(name);
        try (var in = Files.newInputStream(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n' && line.size() < 200; b = in.read()) {
                line.write(b);
            }
            return Optional.of(header(name, line.toString(StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new I2kitException("cannot read secret " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private SecretInfo header(String name, String line) {
        String[] parts = line.split(" ");
        try {
            if (parts.length == 3 && parts[0].equals(MAGIC)) {
                return new SecretInfo(name, Long.parseLong(parts[1]), Instant.parse(parts[2]));
            }
        } catch (RuntimeException e) {
            // falls through to the error below
        }
        throw new I2kitException("secret " + name + " in " + dir + " is damaged (no i2kit-secret header); "
                + "set it again with i2kit secret set");
    }

    private void createDirectory() throws IOException {
        // The application's directory when this makes it: the owner's only, like the rest of its state.
        Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by a concurrent set
            }
        }
        // whatever the umask or an older i2kit made of it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
