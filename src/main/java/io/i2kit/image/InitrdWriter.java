package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Device;
import io.i2kit.image.Entry.Directory;
import io.i2kit.image.Entry.Fifo;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.Entry.Symlink;
import io.i2kit.image.NewcWriter.Header;
import io.i2kit.event.Progress;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link FileTree} as a compressed newc cpio archive, the initrd the kernel unpacks into
 * its root file system. The bytes depend only on the tree and the compression: entries in path
 * order, modification time 0, inode numbers counted in that order. A hard-linked file is one
 * inode: every name carries the inode and the link count, and only the first carries the data,
 * which both the kernel and GNU cpio accept. File contents are streamed, never held whole.
 */
public final class InitrdWriter {
    /** What was written: entries (without the trailer), archive bytes, and bytes after compression. */
    public record Written(int entries, long archiveBytes, long outputBytes) {
    }

    private InitrdWriter() {
    }

    public static Written write(FileTree tree, Compression compression, OutputStream out, Progress progress) {
        String task = "initrd " + compression.name().toLowerCase();
        long total = tree.entries().values().stream()
                .mapToLong(e -> e instanceof RegularFile f ? f.content().size() : 0).sum();
        progress.start(task, total);
        Counting counted = new Counting(out);
        NewcWriter cpio;
        try (OutputStream compressed = new BufferedOutputStream(compression.compress(counted), 1 << 20)) {
            cpio = new NewcWriter(compressed);
            writeEntries(tree, cpio, progress, task);
            cpio.trailer();
        } catch (IOException e) {
            throw new I2kitException("cannot write the initrd (" + compression + "): " + e.getMessage(), e);
        }
        Written written = new Written(tree.size(), cpio.written(), counted.count);
        progress.finish(task, "initrd of " + tree.size() + " entries, " + mib(written.archiveBytes()) + " -> "
                + mib(written.outputBytes()) + " " + compression.name().toLowerCase());
        return written;
    }

    private static void writeEntries(FileTree tree, NewcWriter cpio, Progress progress, String task)
            throws IOException {
        HardLinks links = HardLinks.of(tree);
        Map<String, Long> inodeOfFirstName = new HashMap<>();
        ContentCopier copier = new ContentCopier();
        long nextInode = 1;
        for (Map.Entry<String, Entry> e : tree.entries().entrySet()) {
            String path = e.getKey();
            Entry entry = e.getValue();
            List<String> names = links.names(path, entry);
            boolean first = names.get(0).equals(path);
            long inode = first ? nextInode++ : inodeOfFirstName.get(names.get(0));
            if (first && names.size() > 1) {
                inodeOfFirstName.put(path, inode);
            }
            if (entry instanceof RegularFile f) {
                long size = first ? f.content().size() : 0;
                cpio.header(header(path, inode, entry, names.size(), size));
                if (first) {
                    copier.copy(path, f.content(), cpio::data);
                    progress.advance(task, size);
                }
            } else if (entry instanceof Symlink s) {
                byte[] target = s.target().getBytes(StandardCharsets.UTF_8);
                cpio.header(header(path, inode, entry, 1, target.length));
                cpio.data(target, 0, target.length);
            } else {
                cpio.header(header(path, inode, entry, entry instanceof Directory ? 2 : 1, 0));
            }
            cpio.pad();
        }
    }

    private static Header header(String path, long inode, Entry entry, long links, long size) {
        Entry.Meta m = entry.meta();
        int type = NewcWriter.S_IFREG;
        int major = 0;
        int minor = 0;
        if (entry instanceof Directory) {
            type = NewcWriter.S_IFDIR;
        } else if (entry instanceof Symlink) {
            type = NewcWriter.S_IFLNK;
        } else if (entry instanceof Fifo) {
            type = NewcWriter.S_IFIFO;
        } else if (entry instanceof Device d) {
            type = d.block() ? NewcWriter.S_IFBLK : NewcWriter.S_IFCHR;
            major = d.major();
            minor = d.minor();
        }
        return new Header(path, inode, type | m.mode(), m.uid(), m.gid(), links, size, major, minor);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
