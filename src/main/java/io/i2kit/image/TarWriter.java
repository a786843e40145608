package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Device;
import io.i2kit.image.Entry.Directory;
import io.i2kit.image.Entry.Fifo;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.Entry.Symlink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a {@link FileTree} as an uncompressed tar, e.g. an OCI layer; compress it separately.
 * Deterministic: path order, mtime 0, numeric owners without names, and the PAX headers for long
 * names written here (the library's own would carry the name of the user running the build).
 * Extra names of a hard-linked file become tar hard links to its first name.
 */
public final class TarWriter {
    private static final int NAME_LIMIT = 100; // the ustar name and link fields

    private TarWriter() {
    }

    /** Writes the archive; {@code out} stays open. */
    public static void write(FileTree tree, OutputStream out) {
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(Compression.NONE.compress(out), "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            HardLinks links = HardLinks.of(tree);
            ContentCopier copier = new ContentCopier();
            int ordinal = 0;
            for (Map.Entry<String, Entry> e : tree.entries().entrySet()) {
                writeEntry(tar, e.getKey(), e.getValue(), links, copier, ordinal++);
            }
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new I2kitException("cannot write a tar of the file tree: " + e.getMessage(), e);
        }
    }

    private static void writeEntry(TarArchiveOutputStream tar, String path, Entry entry, HardLinks links,
                                   ContentCopier copier, int ordinal) throws IOException {
        List<String> names = links.names(path, entry);
        boolean hardLink = !names.get(0).equals(path);
        String name = entry instanceof Directory ? path + "/" : path;
        String link = hardLink ? names.get(0) : entry instanceof Symlink s ? s.target() : "";
        byte flag = hardLink ? TarConstants.LF_LINK : flag(entry);
        if (utf8(name) >= NAME_LIMIT || utf8(link) >= NAME_LIMIT) {
            pax(tar, name, link, ordinal);
            name = "i2kit-long-name-" + ordinal + (entry instanceof Directory ? "/" : "");
            link = link.isEmpty() ? "" : "i2kit-long-link-" + ordinal;
        }
        TarArchiveEntry t = fixed(new TarArchiveEntry(name, flag, true));
        t.setMode(entry.meta().mode());
        t.setUserId(entry.meta().uid());
        t.setGroupId(entry.meta().gid());
        if (!link.isEmpty()) {
            t.setLinkName(link);
        }
        if (entry instanceof Device d) {
            t.setDevMajor(d.major());
            t.setDevMinor(d.minor());
        }
        RegularFile file = !hardLink && entry instanceof RegularFile f ? f : null;
        t.setSize(file == null ? 0 : file.content().size());
        tar.putArchiveEntry(t);
        if (file != null) {
            copier.copy(path, file.content(), tar::write);
        }
        tar.closeArchiveEntry();
    }

    private static byte flag(Entry entry) {
        if (entry instanceof Directory) {
            return TarConstants.LF_DIR;
        } else if (entry instanceof Symlink) {
            return TarConstants.LF_SYMLINK;
        } else if (entry instanceof Fifo) {
            return TarConstants.LF_FIFO;
        } else if (entry instanceof Device d) {
            return d.block() ? TarConstants.LF_BLK : TarConstants.LF_CHR;
        }
        return TarConstants.LF_NORMAL;
    }

    /** A PAX extended header giving the real path and link target of the entry that follows. */
    private static void pax(TarArchiveOutputStream tar, String name, String link, int ordinal) throws IOException {
        StringBuilder records = new StringBuilder();
        records.append(record("path", name));
        if (!link.isEmpty()) {
            records.append(record("linkpath", link));
        }
        byte[] body = records.toString().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry header = fixed(new TarArchiveEntry("PaxHeaders/" + ordinal,
                TarConstants.LF_PAX_EXTENDED_HEADER_LC, true));
        header.setMode(0644);
        header.setSize(body.length);
        tar.putArchiveEntry(header);
        tar.write(body);
        tar.closeArchiveEntry();
    }

    /** "{length} {key}={value}\n", where length counts the whole record, its own digits included. */
    static String record(String key, String value) {
        int rest = utf8(" " + key + "=" + value + "\n");
        int length = rest;
        while (length != rest + Integer.toString(length).length()) {
            length = rest + Integer.toString(length).length();
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static TarArchiveEntry fixed(TarArchiveEntry t) {
        t.setModTime(FileTime.fromMillis(0));
        t.setUserName("");
        t.setGroupName("");
        return t;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
