package io.i2kit.bootstrap.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a kernel module says about itself in its ELF {@code .modinfo} section: NUL-separated
 * {@code key=value} strings, of which i2kit needs {@code name}, {@code depends} and {@code alias}.
 * Debian ships no modules.dep, so these strings are the only record of which module needs which.
 *
 * @param name    the module's name (dashes become underscores, as the kernel names modules)
 * @param depends the modules that must be loaded before it
 * @param aliases the device patterns it drives ({@code pci:v00001AF4d*}, {@code virtio:d00000001v*}),
 *                shell globs matched against a device's {@code modalias} in sysfs
 */
public record ModInfo(String name, List<String> depends, List<String> aliases) {
    public ModInfo {
        depends = List.copyOf(depends);
        aliases = List.copyOf(aliases);
    }

    public ModInfo(String name, List<String> depends) {
        this(name, depends, List.of());
    }

    /**
     * Reads the {@code .modinfo} section of a 64-bit little-endian ELF object (what x86-64 modules
     * are). {@code fallbackName} (from the file name) is used when the section has no {@code name=}.
     */
    public static ModInfo read(byte[] elf, String fallbackName) {
        return parseStrings(section(elf, ".modinfo").orElseThrow(() ->
                new IllegalArgumentException("no .modinfo section: not a kernel module")), fallbackName);
    }

    /** Parses the section's NUL-separated strings; empty strings (padding) are skipped. */
    public static ModInfo parseStrings(byte[] section, String fallbackName) {
        String name = null;
        List<String> depends = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        for (String s : new String(section, StandardCharsets.UTF_8).split("\0")) {
            if (s.startsWith("alias=") && isDeviceAlias(s.substring(6))) {
                aliases.add(s.substring(6));
            } else if (s.startsWith("name=")) {
                name = s.substring(5);
            } else if (s.startsWith("depends=")) {
                Arrays.stream(s.substring(8).split(",")).map(String::strip).filter(d -> !d.isEmpty())
                        .map(ModInfo::canonical).forEach(depends::add);
            }
        }
        return new ModInfo(canonical(name != null ? name : fallbackName), depends, aliases);
    }

    /**
     * A pattern for a device on a bus ({@code pci:}, {@code virtio:}, {@code acpi*:}...), not a
     * name the kernel asks for by itself ({@code fs-overlay}, {@code devname:fuse},
     * {@code char-major-10-229}); only those may contain no space (they go on one line).
     */
    static boolean isDeviceAlias(String alias) {
        return alias.contains(":") && !alias.startsWith("devname:") && !alias.contains(" ");
    }

    /** The kernel treats {@code -} and {@code _} in module names as the same character. */
    public static String canonical(String moduleName) {
        return moduleName.replace('-', '_');
    }

    static Optional<byte[]> section(byte[] elf, String wanted) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException("not an ELF file");
        }
        if (elf[4] != 2 || elf[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3E));
        if (shentsize < 64 || shstrndx >= shnum || shoff < 0 || shoff + (long) shnum * shentsize > elf.length) {
            throw new IllegalArgumentException("ELF section headers are out of bounds");
        }
        int strtab = (int) b.getLong((int) (shoff + (long) shstrndx * shentsize) + 24);
        for (int i = 0; i < shnum; i++) {
            int header = (int) (shoff + (long) i * shentsize);
            int nameOffset = b.getInt(header);
            long offset = b.getLong(header + 24);
            long size = b.getLong(header + 32);
            if (wanted.equals(cString(elf, strtab + nameOffset))) {
                if (offset < 0 || size < 0 || offset + size > elf.length) {
                    throw new IllegalArgumentException("section " + wanted + " is out of bounds");
                }
                return Optional.of(Arrays.copyOfRange(elf, (int) offset, (int) (offset + size)));
            }
        }
        return Optional.empty();
    }

    private static String cString(byte[] bytes, int start) {
        if (start < 0 || start >= bytes.length) {
            return "";
        }
        int end = start;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }
}
