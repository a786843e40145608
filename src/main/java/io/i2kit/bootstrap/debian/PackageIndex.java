package io.i2kit.bootstrap.debian;

import io.i2kit.I2kitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Every binary package the machine's apt sources offer, read from the indexes {@code apt-get update}
 * already downloaded into {@code /var/lib/apt/lists}. apt verified those files against the signed
 * {@code InRelease} when it fetched them; i2kit never downloads an index itself, so it never trusts
 * an unsigned one. The {@code SHA256} of each package then carries that trust to the .deb files.
 */
public final class PackageIndex {
    /** Suffixes apt may store an index with ({@code Acquire::GzipIndexes}, {@code Acquire::CompressionTypes}). */
    private static final List<String> SUFFIXES = List.of("", ".lz4", ".gz", ".xz", ".zst");

    private final Map<String, List<DebPackage>> byName = new HashMap<>();
    private final Map<String, List<DebPackage>> providers = new HashMap<>();

    public PackageIndex(Collection<DebPackage> packages) {
        packages.forEach(this::add);
        byName.values().forEach(l -> l.sort(NEWEST_FIRST));
        providers.values().forEach(l -> l.sort(NEWEST_FIRST));
    }

    private static final Comparator<DebPackage> NEWEST_FIRST =
            Comparator.comparing(DebPackage::version).reversed().thenComparing(DebPackage::name);

    private void add(DebPackage p) {
        byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        for (Relation provided : p.provides()) {
            providers.computeIfAbsent(provided.name(), k -> new ArrayList<>()).add(p);
        }
    }

    /**
     * The packages of every source's index found in {@code listsDir} for {@code architecture} (and
     * {@code all}, which the same indexes hold). Fails when no index is there: apt-get update has not run.
     */
    public static PackageIndex load(List<AptSource> sources, Path listsDir, String architecture) {
        List<DebPackage> packages = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (AptSource source : sources) {
            if (!source.serves(architecture)) {
                continue;
            }
            for (String relative : source.packagesPaths(architecture)) {
                String name = source.listFileName(relative);
                Optional<Path> file = SUFFIXES.stream().map(s -> listsDir.resolve(name + s)).filter(Files::isRegularFile).findFirst();
                if (file.isEmpty()) {
                    missing.add(name);
                    continue;
                }
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(decompress(file.get()), StandardCharsets.UTF_8))) {
                    PackagesParser.parse(reader, source.uri(), file.get().toString(), packages::add);
                } catch (IOException e) {
                    throw new I2kitException("cannot read the package index " + file.get() + ": " + e.getMessage(), e);
                }
            }
        }
        if (packages.isEmpty()) {
            throw new I2kitException("no Debian package index for " + architecture + " in " + listsDir
                    + (missing.isEmpty() ? " (no apt source serves it)" : " (looked for " + String.join(", ", missing) + ")")
                    + "; run apt-get update first");
        }
        return new PackageIndex(packages);
    }

    static InputStream decompress(Path file) throws IOException {
        InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        String name = file.getFileName().toString();
        if (name.endsWith(".lz4")) {
            return new FramedLZ4CompressorInputStream(raw, true);
        } else if (name.endsWith(".gz")) {
            return new GzipCompressorInputStream(raw, true);
        } else if (name.endsWith(".xz")) {
            return new XZCompressorInputStream(raw, true);
        } else if (name.endsWith(".zst")) {
            return new ZstdCompressorInputStream(raw);
        }
        return raw;
    }

    /** The newest version of {@code name}, as apt's default policy picks it when every source has the same priority. */
    public Optional<DebPackage> newest(String name) {
        List<DebPackage> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.of(versions.get(0));
    }

    /** All versions of a real package, newest first. */
    public List<DebPackage> versions(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** Packages providing the virtual package {@code name}, newest first. */
    public List<DebPackage> providersOf(String name) {
        return providers.getOrDefault(name, List.of());
    }

    public int size() {
        return byName.values().stream().mapToInt(List::size).sum();
    }
}
