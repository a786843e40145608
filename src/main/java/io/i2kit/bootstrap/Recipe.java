package io.i2kit.bootstrap;

import io.i2kit.bootstrap.image.ImageSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How to build one image from Debian packages, read from an {@code image.yml} (see
 * {@link RecipeReader} for the format). The same builder makes the base images (recipes are
 * resources beside this class) and the example images ({@code examples/images/<name>/image.yml}).
 *
 * @param packages      Debian packages to unpack
 * @param followDepends whether to add their Depends closure (minus {@code exclude})
 * @param keep          globs of paths to keep (empty: everything)
 * @param drop          globs of paths to remove
 * @param move          paths to rename, from to (after keep and drop)
 * @param busyboxLinks  whether to link busybox's applets in /bin
 * @param files         a tree to copy over the root: a directory relative to the recipe, or {@code classpath:DIR}
 * @param directories   directories to create, path to octal mode
 * @param kernel        for a kernel image, the modules to ship
 * @param source        where the recipe was read from, for messages
 * @param text          the recipe's bytes, part of the build's identity
 */
public record Recipe(String name, List<String> packages, boolean followDepends, Set<String> exclude, List<String> keep,
                     List<String> drop, Map<String, String> move, boolean busyboxLinks, Optional<String> files,
                     Map<String, Integer> directories, Optional<KernelModules> kernel, ImageSettings config,
                     String source, byte[] text) {
    public Recipe {
        packages = List.copyOf(packages);
        exclude = java.util.Collections.unmodifiableSet(new TreeSet<>(exclude));
        keep = List.copyOf(keep);
        drop = List.copyOf(drop);
        move = java.util.Collections.unmodifiableMap(new TreeMap<>(move));
        directories = java.util.Collections.unmodifiableMap(new TreeMap<>(directories));
        text = text.clone();
    }

    /** Modules a kernel image ships: the required ones fail the build when absent; optional ones do not. */
    public record KernelModules(List<String> required, List<String> optional) {
        public KernelModules {
            required = List.copyOf(required);
            optional = List.copyOf(optional);
        }
    }
}
