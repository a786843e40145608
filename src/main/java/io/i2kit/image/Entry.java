package io.i2kit.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One node of a {@link FileTree}. There is no modification time: every output uses a fixed one so
 * that the same inputs give the same bytes.
 */
public sealed interface Entry permits Entry.Directory, Entry.RegularFile, Entry.Symlink, Entry.Device, Entry.Fifo {
    Meta meta();

    Entry withMeta(Meta meta);

    /** Permission bits (including set-id and sticky, {@code 07777}) and numeric owner. */
    record Meta(int mode, long uid, long gid) {
        public static final Meta ROOT_DIR = new Meta(0755, 0, 0);

        public Meta {
            if ((mode & ~07777) != 0 || uid < 0 || gid < 0) {
                throw new IllegalArgumentException("invalid mode " + Integer.toOctalString(mode) + " or owner "
                        + uid + ":" + gid);
            }
        }

        public static Meta of(int mode) {
            return new Meta(mode, 0, 0);
        }
    }

    record Directory(Meta meta) implements Entry {
        @Override
        public Directory withMeta(Meta meta) {
            return new Directory(meta);
        }
    }

    /**
     * A regular file. Files with the same non-zero {@code linkGroup} are hard links of one inode;
     * the tree hands out group numbers, so only {@link FileTree#addHardLink} creates them.
     */
    record RegularFile(Meta meta, Content content, long linkGroup) implements Entry {
        @Override
        public RegularFile withMeta(Meta meta) {
            return new RegularFile(meta, content, linkGroup);
        }

        RegularFile withLinkGroup(long group) {
            return new RegularFile(meta, content, group);
        }
    }

    /** The target is kept as written and never followed when the tree is written out. */
    record Symlink(Meta meta, String target) implements Entry {
        public Symlink {
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid symlink target \"" + target + "\"");
            }
        }

        @Override
        public Symlink withMeta(Meta meta) {
            return new Symlink(meta, target);
        }
    }

    record Device(Meta meta, boolean block, int major, int minor) implements Entry {
        @Override
        public Device withMeta(Meta meta) {
            return new Device(meta, block, major, minor);
        }
    }

    record Fifo(Meta meta) implements Entry {
        @Override
        public Fifo withMeta(Meta meta) {
            return new Fifo(meta);
        }
    }

    /** The bytes of a regular file: small ones in memory, the others read from disk when written. */
    sealed interface Content permits Bytes, OnDisk {
        long size();

        InputStream open() throws IOException;
    }

    record Bytes(byte[] data) implements Content {
        public Bytes {
            data = data.clone();
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }
    }

    /** A file in the unpacked-layer cache; {@code size} is what the layer said, checked when read. */
    record OnDisk(Path file, long size) implements Content {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }
}
