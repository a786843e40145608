package io.i2kit.image;

import com.github.luben.zstd.ZstdOutputStream;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Layers written the way a hostile or an honest tool would, with commons-compress's tar writer. */
final class TestLayers {
    record Stored(Descriptor descriptor, Digest diffId) {
    }

    enum Packing { PLAIN, GZIP, ZSTD }

    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    static TestLayers tar() {
        return new TestLayers();
    }

    TestLayers dir(String name) {
        return add(entry(name, TarConstants.LF_DIR, 0755), null);
    }

    TestLayers file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    TestLayers file(String name, String content, int mode, long uid, long gid) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(bytes.length);
        return add(e, bytes);
    }

    TestLayers symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return add(e, null);
    }

    TestLayers hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return add(e, null);
    }

    TestLayers device(String name, boolean block, int major, int minor) {
        TarArchiveEntry e = entry(name, block ? TarConstants.LF_BLK : TarConstants.LF_CHR, 0660);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setGroupId(6);
        return add(e, null);
    }

    TestLayers fifo(String name) {
        return add(entry(name, TarConstants.LF_FIFO, 0600), null);
    }

    byte[] bytes() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (int i = 0; i < entries.size(); i++) {
                    tar.putArchiveEntry(entries.get(i));
                    if (contents.get(i) != null && !entries.get(i).isDirectory()) {
                        tar.write(contents.get(i));
                    }
                    tar.closeArchiveEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Stored store(BlobStore blobs, Packing packing) {
        return store(blobs, bytes(), packing);
    }

    static Stored store(BlobStore blobs, byte[] tar, Packing packing) {
        byte[] blob = pack(tar, packing);
        Digest digest = blobs.put(blob, "test layer");
        // the media type always says gzip: the unpacker must trust the bytes, not the label
        return new Stored(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, blob.length), Digest.of(tar));
    }

    static byte[] pack(byte[] tar, Packing packing) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream packed = switch (packing) {
                case PLAIN -> out;
                case GZIP -> new GzipCompressorOutputStream(out);
                case ZSTD -> new ZstdOutputStream(out);
            }) {
                packed.write(tar);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TarArchiveEntry entry(String name, byte flag, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true); // keep absolute names as a hostile tool would
        e.setMode(mode);
        return e;
    }

    private TestLayers add(TarArchiveEntry e, byte[] content) {
        entries.add(e);
        contents.add(content);
        return this;
    }
}
