package io.i2kit.bootstrap.debian;

import io.i2kit.InvalidInputException;
import io.i2kit.oci.Digest;
import io.i2kit.yaml.Position;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a Packages index (deb822 stanzas) as a stream, keeping only the fields resolution and
 * download need, so the 50 MB main index never has to be held as text.
 */
public final class PackagesParser {
    private static final java.util.Set<String> FIELDS = java.util.Set.of(
            "Package", "Version", "Architecture", "Filename", "SHA256", "Size", "Depends", "Pre-Depends", "Provides");

    private PackagesParser() {
    }

    public static List<DebPackage> parse(BufferedReader reader, URI mirror, String label) {
        List<DebPackage> packages = new ArrayList<>();
        parse(reader, mirror, label, packages::add);
        return packages;
    }

    public static void parse(BufferedReader reader, URI mirror, String label, Consumer<DebPackage> sink) {
        Map<String, String> fields = new HashMap<>();
        String lastKey = null;
        int line = 0;
        int stanzaLine = 1;
        try {
            for (String raw = reader.readLine(); ; raw = reader.readLine()) {
                line++;
                if (raw == null || raw.isEmpty()) {
                    if (!fields.isEmpty()) {
                        sink.accept(toPackage(fields, mirror, new Position(label, stanzaLine, 0)));
                        fields = new HashMap<>();
                    }
                    lastKey = null;
                    stanzaLine = line + 1;
                    if (raw == null) {
                        return;
                    }
                    continue;
                }
                if (raw.charAt(0) == ' ' || raw.charAt(0) == '\t') {
                    if (lastKey != null && FIELDS.contains(lastKey)) {
                        fields.merge(lastKey, " " + raw.strip(), String::concat);
                    }
                    continue;
                }
                int colon = raw.indexOf(':');
                if (colon <= 0) {
                    throw new InvalidInputException(new Position(label, line, 0), "not a \"Field: value\" line in a Packages index");
                }
                lastKey = raw.substring(0, colon);
                if (FIELDS.contains(lastKey)) {
                    fields.put(lastKey, raw.substring(colon + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + label, e);
        }
    }

    private static DebPackage toPackage(Map<String, String> f, URI mirror, Position where) {
        for (String required : List.of("Package", "Version", "Filename", "SHA256", "Size")) {
            if (!f.containsKey(required)) {
                throw new InvalidInputException(where, "package " + f.getOrDefault("Package", "?")
                        + " has no " + required + " field");
            }
        }
        try {
            List<Dependency> depends = new ArrayList<>(Dependency.parseField(f.get("Pre-Depends")));
            depends.addAll(Dependency.parseField(f.get("Depends")));
            List<Relation> provides = Dependency.parseField(f.get("Provides")).stream()
                    .map(d -> d.alternatives().get(0)).toList();
            return new DebPackage(f.get("Package"), DebVersion.parse(f.get("Version")),
                    f.getOrDefault("Architecture", "all"), f.get("Filename"), new Digest(f.get("SHA256")),
                    Long.parseLong(f.get("Size")), depends, provides, mirror);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where, "package " + f.get("Package") + ": " + e.getMessage());
        }
    }

}
