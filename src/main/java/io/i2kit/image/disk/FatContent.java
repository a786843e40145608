package io.i2kit.image.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The content of a file to put on a FAT volume: a file on disk (streamed, never loaded) or bytes. */
sealed interface FatContent {
    long size();

    ReadableByteChannel open() throws IOException;

    /** Where the content comes from, for messages. */
    String describe();

    static FatContent of(Path file) {
        try {
            return new FromFile(file, Files.size(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static FatContent of(byte[] bytes) {
        return new FromBytes(bytes);
    }

    /** The size is read once, so a file that changes while the disk is written is detected. */
    record FromFile(Path path, long size) implements FatContent {
        @Override
        public ReadableByteChannel open() throws IOException {
            return FileChannel.open(path);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    record FromBytes(byte[] bytes) implements FatContent {
        public FromBytes {
            bytes = bytes.clone();
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public ReadableByteChannel open() {
            return Channels.newChannel(new java.io.ByteArrayInputStream(bytes));
        }

        @Override
        public String describe() {
            return bytes.length + " bytes";
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FromBytes that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "FromBytes[" + bytes.length + " bytes]";
        }
    }
}
