package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.FileTree;
import io.i2kit.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes byte-identical files of an image one inode: the init's busybox and a busybox-based
 * container's are the same 1.9 MiB, and an initrd carries a hard-linked file's data once (the
 * kernel unpacks it once). Only files with the same mode and owner are linked, since a hard link
 * shares them, and never a file under an excluded prefix: a bundle whose container could write
 * through to the shared inode (a read-only root bound as is, remountable with CAP_SYS_ADMIN) must
 * keep its own copies. Small files are left alone: they cost little and hashing them costs time.
 */
final class DuplicateLinker {
    static final long MIN_SIZE = 64 * 1024;

    private DuplicateLinker() {
    }

    /** Links the duplicates in {@code root} outside {@code excluded} (path prefixes); returns the bytes saved. */
    static long link(FileTree root, Collection<String> excluded) {
        Map<String, List<String>> bySizeAndMeta = new LinkedHashMap<>();
        root.entries().forEach((path, entry) -> {
            if (entry instanceof RegularFile f && f.linkGroup() == 0 && f.content().size() >= MIN_SIZE
                    && excluded.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
                bySizeAndMeta.computeIfAbsent(f.content().size() + " " + f.meta(), k -> new ArrayList<>()).add(path);
            }
        });
        long saved = 0;
        for (List<String> candidates : bySizeAndMeta.values()) {
            if (candidates.size() < 2) {
                continue;
            }
            Map<Digest, String> first = new LinkedHashMap<>();
            for (String path : candidates) {
                RegularFile file = (RegularFile) root.get(path).orElseThrow();
                String target = first.putIfAbsent(digest(path, file.content()), path);
                if (target != null) {
                    root.addHardLink(path, target);
                    saved += file.content().size();
                }
            }
        }
        return saved;
    }

    private static Digest digest(String path, Entry.Content content) {
        MessageDigest sha = Digest.sha256();
        try (InputStream in = new DigestInputStream(content.open(), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new I2kitException("cannot read " + path + " of the image: " + e.getMessage(), e);
        }
        return Digest.of(sha);
    }
}
