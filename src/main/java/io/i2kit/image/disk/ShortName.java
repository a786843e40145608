package io.i2kit.image.disk;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * An 8.3 name as stored in a FAT directory entry: up to 8 characters, an optional extension of up
 * to 3, upper case, from the characters every FAT implementation accepts. Names that are not
 * already exactly such a name also get VFAT long-name entries; their short name is then only an
 * alias, derived the way Windows does (upper case, invalid characters as '_', a "~N" tail when the
 * name was shortened or is taken).
 */
record ShortName(String base, String extension) {
    private static final String SPECIAL = "$%'-_@~`!(){}^#&";

    ShortName {
        if (base.isEmpty() || base.length() > 8 || extension.length() > 3
                || !valid(base) || !valid(extension)) {
            throw new IllegalArgumentException("not an 8.3 name: " + base + "." + extension);
        }
    }

    /** The short name for {@code longName} when it is one exactly (then no long-name entry is needed). */
    static ShortName exact(String longName) {
        int dot = longName.lastIndexOf('.');
        String base = dot < 0 ? longName : longName.substring(0, dot);
        String extension = dot < 0 ? "" : longName.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || extension.length() > 3 || (dot >= 0 && extension.isEmpty())
                || !valid(base) || !valid(extension)) {
            return null;
        }
        return new ShortName(base, extension);
    }

    /** Derives an alias for {@code longName} that {@code taken} does not refuse. */
    static ShortName derive(String longName, Predicate<ShortName> taken) {
        String trimmed = longName.replaceFirst("^[. ]+", "");
        int dot = trimmed.lastIndexOf('.');
        Mapped base = map(dot <= 0 ? trimmed : trimmed.substring(0, dot));
        Mapped extension = map(dot <= 0 ? "" : trimmed.substring(dot + 1));
        boolean lossy = base.lossy || extension.lossy || trimmed.length() != longName.length()
                || base.text.length() > 8 || extension.text.length() > 3 || base.text.isEmpty();
        String baseText = base.text.isEmpty() ? "_" : base.text;
        String extensionText = extension.text.substring(0, Math.min(3, extension.text.length()));
        if (!lossy) {
            ShortName plain = new ShortName(baseText, extensionText);
            if (!taken.test(plain)) {
                return plain;
            }
        }
        for (int n = 1; n < 1_000_000; n++) {
            String tail = "~" + n;
            String prefix = baseText.substring(0, Math.min(baseText.length(), 8 - tail.length()));
            ShortName candidate = new ShortName(prefix + tail, extensionText);
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free short name for " + longName);
    }

    /** The 11 bytes of the directory entry's name field, space padded. */
    byte[] bytes() {
        String padded = String.format(Locale.ROOT, "%-8s%-3s", base, extension);
        return padded.getBytes(StandardCharsets.US_ASCII);
    }

    /** The checksum every long-name entry carries, binding it to this short entry. */
    int checksum() {
        int sum = 0;
        for (byte b : bytes()) {
            sum = (((sum & 1) << 7) + ((sum & 0xFF) >> 1) + (b & 0xFF)) & 0xFF;
        }
        return sum;
    }

    @Override
    public String toString() {
        return extension.isEmpty() ? base : base + "." + extension;
    }

    private record Mapped(String text, boolean lossy) {
    }

    /** Upper-cases and replaces what 8.3 names cannot hold; dots and spaces are dropped. */
    private static Mapped map(String part) {
        StringBuilder text = new StringBuilder();
        boolean lossy = false;
        for (char c : part.toCharArray()) {
            if (c == ' ' || c == '.') {
                lossy = true;
            } else if (validChar(Character.toUpperCase(c)) && c < 0x80) {
                text.append(Character.toUpperCase(c));
            } else {
                text.append('_');
                lossy = true;
            }
        }
        return new Mapped(text.toString(), lossy);
    }

    private static boolean valid(String part) {
        return part.chars().allMatch(c -> validChar((char) c));
    }

    private static boolean validChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SPECIAL.indexOf(c) >= 0;
    }
}
