package io.i2kit.bootstrap.debian;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.yaml.Position;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the machine's apt sources, both formats: one-line {@code sources.list} files and deb822
 * {@code *.sources} files under {@code sources.list.d}. Only {@code deb} entries matter (binary
 * packages); files with other suffixes (for example {@code .list.disabled}) are ignored, as apt does.
 */
public final class AptSourcesReader {
    private AptSourcesReader() {
    }

    /** Every source of {@code etcApt} ({@code /etc/apt}): {@code sources.list} first, then {@code sources.list.d} sorted. */
    public static List<AptSource> read(Path etcApt) {
        List<AptSource> sources = new ArrayList<>();
        Path list = etcApt.resolve("sources.list");
        if (Files.isRegularFile(list)) {
            sources.addAll(parseOneLine(readString(list), list.toString()));
        }
        Path parts = etcApt.resolve("sources.list.d");
        if (Files.isDirectory(parts)) {
            try (Stream<Path> files = Files.list(parts)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".list")) {
                        sources.addAll(parseOneLine(readString(file), file.toString()));
                    } else if (name.endsWith(".sources")) {
                        sources.addAll(parseDeb822(readString(file), file.toString()));
                    }
                }
            } catch (IOException e) {
                throw new I2kitException("cannot list the apt sources in " + parts + ": " + e.getMessage(), e);
            }
        }
        return sources;
    }

    /** {@code deb [opt=value ...] URI SUITE [COMPONENT...]}, one per line; {@code #} starts a comment. */
    public static List<AptSource> parseOneLine(String text, String label) {
        List<AptSource> sources = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> architectures = List.of();
            String type = line.split("\\s+", 2)[0];
            String rest = line.substring(type.length()).strip();
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    throw new InvalidInputException(new Position(label, n + 1, 0), "unclosed [ in apt source line");
                }
                for (String option : rest.substring(1, close).strip().split("\\s+")) {
                    if (option.startsWith("arch=")) {
                        architectures = Arrays.asList(option.substring(5).split(","));
                    }
                }
                rest = rest.substring(close + 1).strip();
            }
            String[] words = rest.split("\\s+");
            if (!type.equals("deb")) {
                continue;
            }
            if (words.length < 2) {
                throw new InvalidInputException(new Position(label, n + 1, 0), "a deb line needs a URI and a suite");
            }
            sources.add(new AptSource(uri(words[0], new Position(label, n + 1, 0)), words[1],
                    Arrays.asList(words).subList(2, words.length), architectures));
        }
        return sources;
    }

    /**
     * Stanzas separated by blank lines, {@code Field: value} with continuation lines; each stanza
     * expands to one source per URI and suite. {@code Enabled: no} stanzas are skipped.
     */
    public static List<AptSource> parseDeb822(String text, String label) {
        List<AptSource> sources = new ArrayList<>();
        for (Map<String, String> stanza : stanzas(text)) {
            if (!split(stanza.get("types")).contains("deb") || stanza.getOrDefault("enabled", "yes").equalsIgnoreCase("no")) {
                continue;
            }
            List<String> uris = split(stanza.get("uris"));
            List<String> suites = split(stanza.get("suites"));
            if (uris.isEmpty() || suites.isEmpty()) {
                throw new InvalidInputException(Position.unknown(label), "a deb822 stanza needs URIs and Suites (stanza with Types: "
                        + stanza.get("types") + ")");
            }
            for (String u : uris) {
                for (String suite : suites) {
                    sources.add(new AptSource(uri(u, Position.unknown(label)), suite, split(stanza.get("components")),
                            split(stanza.get("architectures"))));
                }
            }
        }
        return sources;
    }

    private static List<Map<String, String>> stanzas(String text) {
        List<Map<String, String>> stanzas = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String lastKey = null;
        for (String raw : text.split("\n", -1)) {
            if (raw.startsWith("#")) {
                continue; // deb822 comments are whole lines
            }
            if (raw.isBlank()) {
                if (!current.isEmpty()) {
                    stanzas.add(current);
                    current = new LinkedHashMap<>();
                }
                lastKey = null;
                continue;
            }
            if ((raw.startsWith(" ") || raw.startsWith("\t")) && lastKey != null) {
                current.merge(lastKey, " " + raw.strip(), String::concat);
                continue;
            }
            int colon = raw.indexOf(':');
            if (colon > 0) {
                lastKey = raw.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
                current.put(lastKey, raw.substring(colon + 1).strip());
            }
        }
        if (!current.isEmpty()) {
            stanzas.add(current);
        }
        return stanzas;
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.strip().split("\\s+"));
    }

    private static URI uri(String text, Position where) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where, "\"" + text + "\" is not a URI: " + e.getMessage());
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new I2kitException("cannot read the apt source " + file + ": " + e.getMessage(), e);
        }
    }
}
