package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageDocument;
import io.i2kit.oci.ImageIndex;
import io.i2kit.oci.ImageJson;
import io.i2kit.oci.ImageManifest;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.oci.store.TagIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code i2kit cache prune}: keeps the builds used within a period (a build is used when it is
 * built or found up to date), the images the local store names, and every blob and unpacked layer
 * they need; removes the rest and leftovers of interrupted work. Safe to run beside a build: what
 * a running build is writing lives in {@code tmp/}, which only loses entries older than an hour, and
 * prune waits for builds in progress (the store lock). What a running local application boots is
 * kept whatever its age.
 */
public final class CachePruner {
    private static final Duration TMP_GRACE = Duration.ofHours(1);

    private final I2kitHome home;

    public CachePruner(I2kitHome home) {
        this.home = home;
    }

    /** What was (or, in a dry run, would be) removed. */
    public record Result(int builds, int blobs, int layers, long bytes) {
    }

    public Result prune(Duration olderThan, boolean dryRun) {
        try (var store = io.i2kit.oci.store.StoreLock.exclusive(home, waiting -> { })) {
            return pruneLocked(olderThan, dryRun);
        }
    }

    private Result pruneLocked(Duration olderThan, boolean dryRun) {
        Instant cutoff = Instant.now().minus(olderThan);
        Set<String> running = runningBuilds();
        Set<Digest> blobs = new HashSet<>();
        Set<String> layers = new HashSet<>();
        long[] bytes = {0};
        int builds = 0;
        for (Path build : list(home.builds())) {
            String name = build.getFileName().toString();
            if (!name.matches("[a-f0-9]{64}")) {
                continue;
            }
            Path record = build.resolve(BuildRecord.FILE);
            if (modified(record).isAfter(cutoff) || running.contains(name)) {
                readRecord(record).ifPresent(r -> r.images().values().forEach(d -> keep(Digest.parse(d), blobs, layers)));
            } else {
                builds++;
                bytes[0] += size(build);
                if (!dryRun) {
                    BuildCache.delete(build);
                }
            }
        }
        if (Files.exists(home.root().resolve("index.json"))) {
            TagIndex.of(home).entries().values().forEach(d -> keep(d.digest(), blobs, layers));
        }
        int removedBlobs = remove(home.root().resolve("blobs/sha256"), p -> !blobs.contains(new Digest(p.getFileName().toString())),
                dryRun, bytes);
        int removedLayers = remove(home.layers(), p -> !layers.contains(p.getFileName().toString()), dryRun, bytes);
        remove(home.tmp(), p -> modified(p).isBefore(Instant.now().minus(TMP_GRACE)), dryRun, bytes);
        remove(home.builds().resolve("tmp"), p -> modified(p).isBefore(Instant.now().minus(TMP_GRACE)), dryRun, bytes);
        remove(home.builds().resolve("by-input"), p -> !pointsToKept(p), dryRun, bytes);
        return new Result(builds, removedBlobs, removedLayers, bytes[0]);
    }

    /**
     * The builds whose files a running application boots: every path under {@code builds/} that a
     * local supervisor's record of what it runs ({@code apps/APP/running.json}) names. Read as
     * plain JSON, so the cache needs nothing of the provider but that file's place.
     */
    private Set<String> runningBuilds() {
        Set<String> builds = new HashSet<>();
        for (Path app : list(home.root().resolve("apps"))) {
            Path running = app.resolve("running.json");
            if (!Files.isRegularFile(running)) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(running.toFile());
                collectBuilds(tree, builds);
            } catch (IOException e) {
                // unreadable: that application's builds fall back to the age rule
            }
        }
        return builds;
    }

    private void collectBuilds(com.fasterxml.jackson.databind.JsonNode node, Set<String> builds) {
        if (node.isTextual() && node.asText().startsWith(home.builds().toString())) {
            try {
                Path p = Path.of(node.asText()).normalize();
                if (p.startsWith(home.builds()) && p.getNameCount() > home.builds().getNameCount()) {
                    builds.add(p.getName(home.builds().getNameCount()).toString());
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a path after all
            }
        }
        node.forEach(child -> collectBuilds(child, builds));
    }

    /** Marks a manifest or index, and everything it refers to, as in use. */
    private void keep(Digest digest, Set<Digest> blobs, Set<String> layers) {
        Path file = home.blobs().path(digest);
        if (!blobs.add(digest) || !Files.isRegularFile(file)) {
            return;
        }
        ImageDocument doc;
        try {
            doc = ImageJson.document(Files.readAllBytes(file), Optional.empty(), digest.toString());
        } catch (IOException | RuntimeException e) {
            return; // not an image document: a layer or config kept by its digest alone
        }
        if (doc instanceof ImageIndex index) {
            index.manifests().forEach(m -> keep(m.digest(), blobs, layers));
        } else if (doc instanceof ImageManifest manifest) {
            blobs.add(manifest.config().digest());
            manifest.layers().stream().map(Descriptor::digest).forEach(blobs::add);
            try {
                ImageJson.config(home.blobs().read(manifest.config().digest()), digest.toString())
                        .diffIds().forEach(d -> layers.add(d.hex()));
            } catch (RuntimeException e) {
                // a missing or damaged config: its layers are rebuilt when next needed
            }
        }
    }

    private boolean pointsToKept(Path pointer) {
        try {
            return Files.isDirectory(home.builds().resolve(Digest.parse(Files.readString(pointer).trim()).hex()));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<BuildRecord> readRecord(Path record) {
        try {
            return Optional.of(BuildRecord.fromJson(Files.readString(record)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int remove(Path dir, java.util.function.Predicate<Path> unused, boolean dryRun, long[] bytes) {
        int removed = 0;
        for (Path p : list(dir)) {
            if (unused.test(p)) {
                removed++;
                bytes[0] += size(p);
                if (!dryRun) {
                    BuildCache.delete(p);
                }
            }
        }
        return removed;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new I2kitException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static long size(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Marks a build as used now, so that prune keeps it. */
    static void touch(Path buildDir) {
        try {
            Files.setLastModifiedTime(buildDir.resolve(BuildRecord.FILE), FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // a build that cannot be marked is only pruned sooner; it can be rebuilt
        }
    }
}
