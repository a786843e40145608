package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Content;
import io.i2kit.image.Entry.OnDisk;
import java.io.IOException;
import java.io.InputStream;

/** Streams a file's content in small buffers, checking it has the size the tree recorded. */
final class ContentCopier {
    interface Sink {
        void write(byte[] buffer, int off, int len) throws IOException;
    }

    private final byte[] buffer = new byte[1 << 16];

    void copy(String path, Content content, Sink sink) throws IOException {
        long left = content.size();
        try (InputStream in = content.open()) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                sink.write(buffer, 0, n);
                left -= n;
            }
            if (left > 0 || in.read() >= 0) {
                throw new I2kitException("content of \"" + path + "\" is not " + content.size() + " bytes long"
                        + (content instanceof OnDisk d ? " (" + d.file() + " changed since it was unpacked; delete its "
                        + "layer directory to unpack it again)" : ""));
            }
        }
    }
}
