package io.i2kit.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The "new ASCII" cpio format ({@code 070701}) that the kernel unpacks into its initramfs: a
 * 110-byte header of hex fields, the NUL-terminated name, then the data, each padded to 4 bytes.
 */
final class NewcWriter {
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFDIR = 0040000;
    static final int S_IFBLK = 0060000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    private static final long MAX_FIELD = 0xFFFFFFFFL;

    /** One header; {@code mtime} is always 0 and the device of the archive itself is 0:0. */
    record Header(String name, long inode, int mode, long uid, long gid, long links, long size, int rdevMajor,
                  int rdevMinor) {
    }

    private final OutputStream out;
    private long written;

    NewcWriter(OutputStream out) {
        this.out = out;
    }

    void header(Header h) throws IOException {
        for (long field : new long[] {h.inode(), h.uid(), h.gid(), h.size()}) {
            if (field < 0 || field > MAX_FIELD) {
                throw new IllegalArgumentException("\"" + h.name() + "\": value " + field
                        + " does not fit a newc cpio header (at most 4 GiB files and 32-bit owners)");
            }
        }
        byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder(110).append("070701");
        for (long field : new long[] {h.inode(), h.mode(), h.uid(), h.gid(), h.links(), 0, h.size(), 0, 0,
                h.rdevMajor(), h.rdevMinor(), name.length + 1, 0}) {
            s.append(String.format("%08x", field & MAX_FIELD));
        }
        write(s.toString().getBytes(StandardCharsets.US_ASCII));
        write(name);
        write(new byte[] {0});
        pad();
    }

    void data(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
        written += len;
    }

    /** Ends an entry's data (or an entry without data). */
    void pad() throws IOException {
        int padding = (int) ((4 - (written & 3)) & 3);
        write(new byte[padding]);
    }

    void trailer() throws IOException {
        header(new Header("TRAILER!!!", 0, 0, 0, 0, 1, 0, 0, 0));
    }

    long written() {
        return written;
    }

    private void write(byte[] bytes) throws IOException {
        data(bytes, 0, bytes.length);
    }
}
