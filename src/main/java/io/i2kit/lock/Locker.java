package io.i2kit.lock;

import java.util.Collection;
import io.i2kit.oci.ImageReference;
import io.i2kit.manifest.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fills the lock: every reference the application builds from (base packages and container images)
 * gets the digest it resolves to, the first time only unless {@code update} is asked.
 */
public final class Locker {
    private final List<DigestResolver> resolvers;

    public Locker(List<DigestResolver> resolvers) {
        this.resolvers = List.copyOf(resolvers);
    }

    /** The lock after resolving, and the references no resolver could serve. */
    /**
     * The lock after resolving: what was added or changed, and each reference that could not be
     * resolved with the reason ({@code ref: why}); the others are locked all the same.
     */
    public record Result(LockFile lock, List<String> added, List<String> changed, List<String> unresolved) {
    }

    /** The base packages' references, then every container image, in manifest order. */
    public static Set<String> references(Manifest manifest, Collection<String> baseReferences) {
        Set<String> refs = new LinkedHashSet<>(baseReferences);
        manifest.application().services().forEach(s -> s.containers().forEach(c -> refs.add(c.image().toString())));
        return refs;
    }

    public Result lock(Manifest manifest, Collection<String> baseReferences, LockFile existing, boolean update) {
        Map<String, String> images = new TreeMap<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (String ref : references(manifest, baseReferences)) {
            ImageReference parsed = ImageReference.parse(ref).reference().orElseThrow();
            String known = existing.images().get(ref);
            if (parsed.digest() != null) {
                continue; // pinned in the manifest itself
            }
            if (known != null && !update) {
                images.put(ref, known);
                continue;
            }
            Optional<String> digest;
            try {
                digest = resolve(parsed, manifest);
            } catch (io.i2kit.I2kitException e) {
                digest = Optional.empty();
                // Listed with the others, so the error keeps its place here (a broken ~/.docker/config.json).
                unresolved.add(ref + ": " + e.position().map(p -> p.where() + ": ").orElse("") + e.getMessage());
            }
            if (digest.isEmpty()) {
                if (unresolved.stream().noneMatch(u -> u.startsWith(ref + ": "))) {
                    unresolved.add(ref + ": no image source serves it");
                }
                if (known != null) {
                    images.put(ref, known);
                }
                continue;
            }
            images.put(ref, digest.get());
            if (known == null) {
                added.add(ref);
            } else if (!known.equals(digest.get())) {
                changed.add(ref);
            }
        }
        return new Result(new LockFile(images), added, changed, unresolved);
    }

    private Optional<String> resolve(ImageReference ref, Manifest manifest) {
        for (DigestResolver r : resolvers) {
            Optional<String> digest = r.resolve(ref, manifest.directory());
            if (digest.isPresent()) {
                return digest;
            }
        }
        return Optional.empty();
    }
}
