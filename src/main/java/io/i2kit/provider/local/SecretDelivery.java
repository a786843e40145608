package io.i2kit.provider.local;

import io.i2kit.build.OwnerOnly;
import io.i2kit.I2kitException;
import io.i2kit.discovery.BootMetadata;
import io.i2kit.event.Event;
import io.i2kit.secret.LocalSecretStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hands a VM the values of its secrets: a file in its work directory (0600 from its creation)
 * that QEMU passes as fw_cfg {@code opt/i2kit/secrets} and that the launcher deletes once QEMU has
 * read it. The file is a payload in LinuxKit's metadata format, {@code {"NAME": {"content": VALUE,
 * "perm": "0400"}}}, which the init lays out with the same reader as the boot metadata. The values
 * come from the store when the VM starts, so a VM the supervisor starts to heal a service gets the
 * secret's current value (a later {@code secret set} without an {@code up} included: the log says so).
 */
final class SecretDelivery {
    static final String FILE = "secrets.json";

    private SecretDelivery() {
    }

    /** Writes the file for a VM whose boot metadata is {@code metadata}; empty when it reads no secret. */
    static Optional<Path> write(String metadata, LocalSecretStore store, Path workDir, String service,
                                Consumer<Event.Note> progress) {
        List<BootMetadata.SecretVersion> secrets = BootMetadata.secretsOf(metadata);
        if (secrets.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.writeBytes("{".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < secrets.size(); i++) {
            BootMetadata.SecretVersion wanted = secrets.get(i);
            LocalSecretStore.Current current = store.read(wanted.name()).orElseThrow(() -> new I2kitException(
                    "secret " + wanted.name() + " of service " + service + " is not set (removed since up?); set it with "
                            + "i2kit secret set, then run up"));
            if (current.version() != wanted.version()) {
                progress.accept(Event.Note.of(Event.Phase.DEPLOY, service, "secret " + wanted.name() + " is at version "
                        + current.version() + " but the service runs version " + wanted.version()
                        + "; this VM gets version " + current.version() + " (up replaces the others)"));
            }
            byte[] value = current.value();
            json.writeBytes(((i == 0 ? "" : ",") + "\"" + wanted.name() + "\":{\"perm\":\"0400\",\"content\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
            escape(value, json);
            Arrays.fill(value, (byte) 0);
            json.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
        }
        json.writeBytes("}\n".getBytes(StandardCharsets.US_ASCII));
        Path file = workDir.resolve(FILE);
        byte[] bytes = json.toByteArray();
        try {
            OwnerOnly.directory(workDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return Optional.of(file);
        } catch (IOException e) {
            throw new I2kitException("cannot write the secrets of a VM of " + service + " to " + file + ": "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * A JSON string's content, byte for byte: quote, backslash and control characters escaped,
     * every other byte as it is (a value need not be UTF-8; the init's reader copies bytes).
     */
    static void escape(byte[] value, ByteArrayOutputStream out) {
        for (byte b : value) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.writeBytes(String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(c);
            }
        }
    }

    /** Removes the file; QEMU holds the values from its start on. */
    static void remove(Path workDir) {
        try {
            Files.deleteIfExists(workDir.resolve(FILE));
        } catch (IOException e) {
            // the work directory goes with the VM, or with down
        }
    }
}
