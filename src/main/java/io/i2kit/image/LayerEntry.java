package io.i2kit.image;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of an unpacked layer, as the layer's tar said it, with its path already normalised
 * and checked. Kept in the layer's index in the cache.
 *
 * @param path  normal path ({@link TreePath}); for a whiteout the path it hides, for an opaque
 *              marker the directory whose lower content it hides
 * @param size  bytes of a regular file's content, else 0
 * @param data  the content's file, relative to the layer's directory (regular files only)
 * @param link  a symlink's target as written, or a hard link's normalised target path
 * @param major device numbers (character and block devices only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerEntry(Type type, String path, int mode, long uid, long gid, long size, String data, String link,
                         int major, int minor) {
    public enum Type { DIRECTORY, FILE, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, WHITEOUT, OPAQUE }

    public LayerEntry {
        if (type == null || path == null) {
            throw new IllegalArgumentException("a layer entry needs a type and a path");
        }
        if ((type == Type.FILE) != (data != null)
                || (type == Type.SYMLINK || type == Type.HARDLINK) != (link != null)) {
            throw new IllegalArgumentException("layer entry " + path + " of type " + type
                    + " has inconsistent data/link fields");
        }
    }

    static LayerEntry marker(Type type, String path) {
        return new LayerEntry(type, path, 0, 0, 0, 0, null, null, 0, 0);
    }

    Entry.Meta meta() {
        return new Entry.Meta(mode, uid, gid);
    }
}
