package io.i2kit.bootstrap.debian;

import io.i2kit.I2kitException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the packages to unpack: the requested ones and what they depend on (Pre-Depends and
 * Depends), as apt would choose them: the first alternative that can be satisfied, the newest
 * version that meets the constraint, a virtual package through the packages that provide it.
 * A dependency naming an excluded package is dropped whole (with all its alternatives): exclusions
 * are for things only maintainer scripts or init systems use, which an unpacked image never runs.
 */
public final class DependencyResolver {
    private final PackageIndex index;

    public DependencyResolver(PackageIndex index) {
        this.index = index;
    }

    /**
     * @param packages the packages (sorted by name) and, for each dependency dropped by an exclusion,
     *                 a line saying which package wanted it
     */
    public record Resolution(List<DebPackage> packages, List<String> dropped) {
        public Resolution {
            packages = List.copyOf(packages);
            dropped = List.copyOf(dropped);
        }
    }

    /** With {@code followDepends} false only the roots themselves, each resolved to its newest version. */
    public Resolution resolve(Collection<String> roots, Set<String> exclude, boolean followDepends) {
        Map<String, DebPackage> chosen = new TreeMap<>();
        Set<String> dropped = new TreeSet<>();
        Deque<DebPackage> work = new ArrayDeque<>();
        for (String root : roots) {
            DebPackage p = pick(Relation.parse(root), chosen)
                    .orElseThrow(() -> new I2kitException("package " + root + " is in none of the apt sources' indexes"
                            + "; check its name (apt-cache policy " + root + ") or run apt-get update"));
            if (chosen.putIfAbsent(p.name(), p) == null) {
                work.add(p);
            }
        }
        while (followDepends && !work.isEmpty()) {
            DebPackage p = work.removeFirst();
            for (Dependency d : p.depends()) {
                if (d.alternatives().stream().anyMatch(r -> exclude.contains(r.name()))) {
                    dropped.add(p.name() + " -> " + d);
                    continue;
                }
                DebPackage dep = null;
                for (Relation r : d.alternatives()) {
                    Optional<DebPackage> found = pick(r, chosen);
                    if (found.isPresent()) {
                        dep = found.get();
                        break;
                    }
                }
                if (dep == null) {
                    throw new I2kitException("cannot resolve the dependency \"" + d + "\" of " + p
                            + ": no package in the apt sources' indexes satisfies it; run apt-get update, or exclude it");
                }
                DebPackage already = chosen.get(dep.name());
                if (already == null) {
                    chosen.put(dep.name(), dep);
                    work.add(dep);
                } else if (!already.equals(dep)) {
                    throw new I2kitException("conflicting versions of " + dep.name() + ": " + already.version() + " and "
                            + dep.version() + " (wanted by " + p + " as \"" + d + "\")");
                }
            }
        }
        return new Resolution(new ArrayList<>(chosen.values()), new ArrayList<>(dropped));
    }

    /** A package chosen already wins when it fits; otherwise the newest real package, then the newest provider. */
    private Optional<DebPackage> pick(Relation r, Map<String, DebPackage> chosen) {
        DebPackage already = chosen.get(r.name());
        if (already != null && r.satisfiedBy(Optional.of(already.version()))) {
            return Optional.of(already);
        }
        for (DebPackage p : index.versions(r.name())) {
            if (r.satisfiedBy(Optional.of(p.version()))) {
                return Optional.of(p);
            }
        }
        for (DebPackage p : index.providersOf(r.name())) {
            for (Relation provided : p.provides()) {
                if (provided.name().equals(r.name()) && r.satisfiedBy(providedVersion(provided))) {
                    DebPackage mine = chosen.get(p.name());
                    return Optional.of(mine != null ? mine : p);
                }
            }
        }
        return Optional.empty();
    }

    /** A Provides entry carries a version only as {@code name (= version)}. */
    static Optional<DebVersion> providedVersion(Relation provided) {
        return provided.operator().filter("="::equals).flatMap(o -> provided.version());
    }
}
