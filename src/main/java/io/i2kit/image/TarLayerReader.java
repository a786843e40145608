package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.image.LayerEntry.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a layer's tar into {@link LayerEntry}s, copying regular files' contents to
 * {@code data/<ordinal>} under the layer's directory. Contents are named by number, never by the
 * archive's path, so no name in a layer can reach a place on the host. Names are normalised and
 * hostile ones refused here, before anything reaches the cache.
 */
final class TarLayerReader {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final String layer;
    private final Path dir;
    private final LayerLimits limits;

    /** {@code layer} names the layer in messages. */
    TarLayerReader(String layer, Path dir, LayerLimits limits) {
        this.layer = layer;
        this.dir = dir;
        this.limits = limits;
    }

    List<LayerEntry> read(InputStream uncompressed) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<LayerEntry> entries = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed);
        TarArchiveEntry tarEntry;
        int ordinal = 0;
        long bytes = 0;
        while ((tarEntry = tar.getNextEntry()) != null) {
            if (ordinal >= limits.maxEntries()) {
                throw tooBig("more than " + limits.maxEntries() + " entries", LayerLimits.ENTRIES_ENV);
            }
            LayerEntry entry = toEntry(tarEntry, ordinal);
            if (entry == null) {
                continue;
            }
            if (entry.type() == Type.FILE) {
                bytes += entry.size();
                if (bytes > limits.maxBytes()) {
                    throw tooBig("more than " + limits.maxBytes() + " bytes of files", LayerLimits.BYTES_ENV);
                }
                try (OutputStream out = Files.newOutputStream(data.resolve(Integer.toString(ordinal)))) {
                    long copied = tar.transferTo(out);
                    if (copied != entry.size()) {
                        throw refuse(tarEntry.getName(), "the archive ends inside its content (" + copied + " of "
                                + entry.size() + " bytes)");
                    }
                }
            }
            entries.add(entry);
            ordinal++;
        }
        return entries;
    }

    private I2kitException tooBig(String what, String setting) {
        return new I2kitException("layer " + layer + " unpacks to " + what + ", more than i2kit allows; refused before"
                + " unpacking the rest (raise " + setting + " if the image is genuine)");
    }

    private LayerEntry toEntry(TarArchiveEntry e, int ordinal) {
        String name = e.getName();
        String path = normalise(name, name);
        String base = TreePath.name(path);
        if (base.startsWith(WHITEOUT)) {
            return whiteout(name, path, base);
        }
        if (path.isEmpty() && !e.isDirectory()) {
            throw refuse(name, "only a directory can stand for the root");
        }
        int mode = e.getMode() & 07777;
        long uid = e.getLongUserId();
        long gid = e.getLongGroupId();
        if (uid < 0 || gid < 0) {
            throw refuse(name, "its owner " + uid + ":" + gid + " is negative");
        }
        if (e.isDirectory()) {
            return new LayerEntry(Type.DIRECTORY, path, mode, uid, gid, 0, null, null, 0, 0);
        }
        if (e.isSymbolicLink()) {
            String target = e.getLinkName();
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                throw refuse(name, "its symlink target \"" + target + "\" is empty or holds a NUL byte");
            }
            return new LayerEntry(Type.SYMLINK, path, mode, uid, gid, 0, null, target, 0, 0);
        }
        if (e.isLink()) {
            String target = normalise(name, e.getLinkName());
            if (target.isEmpty()) {
                throw refuse(name, "it is a hard link to the root directory");
            }
            return new LayerEntry(Type.HARDLINK, path, mode, uid, gid, 0, null, target, 0, 0);
        }
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            Type type = e.isBlockDevice() ? Type.BLOCK_DEVICE : Type.CHAR_DEVICE;
            return new LayerEntry(type, path, mode, uid, gid, 0, null, null, e.getDevMajor(), e.getDevMinor());
        }
        if (e.isFIFO()) {
            return new LayerEntry(Type.FIFO, path, mode, uid, gid, 0, null, null, 0, 0);
        }
        if (e.isFile() || e.getLinkFlag() == TarArchiveEntry.LF_CONTIG) {
            return new LayerEntry(Type.FILE, path, mode, uid, gid, e.getSize(), "data/" + ordinal, null, 0, 0);
        }
        return null; // volume labels and other archive metadata are not files
    }

    private LayerEntry whiteout(String name, String path, String base) {
        String parent = TreePath.parent(path);
        if (base.equals(OPAQUE)) {
            return LayerEntry.marker(Type.OPAQUE, parent);
        }
        if (base.startsWith(WHITEOUT + WHITEOUT)) {
            return null; // other AUFS bookkeeping (.wh..wh.plnk, ...): not part of the image
        }
        String hidden = base.substring(WHITEOUT.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw refuse(name, "it is a whiteout of \"" + hidden + "\", which names no entry of a directory");
        }
        return LayerEntry.marker(Type.WHITEOUT, TreePath.join(parent, hidden));
    }

    private String normalise(String name, String path) {
        try {
            return TreePath.normalise(path);
        } catch (PathEscapeException e) {
            throw refuse(name, e.getMessage());
        }
    }

    private I2kitException refuse(String name, String why) {
        return new I2kitException(layer + ": entry \"" + name + "\" is refused: " + why
                + "; the layer is not unpacked (is the image built by a trusted tool?)");
    }
}
