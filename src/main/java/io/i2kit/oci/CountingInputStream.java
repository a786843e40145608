package io.i2kit.oci;

import io.i2kit.event.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reports bytes read as progress, and refuses to read past the size a descriptor announced, so a
 * server that sends endless data cannot fill the disk before the digest check fails.
 */
final class CountingInputStream extends FilterInputStream {
    private final Progress progress;
    private final String task;
    private final long limit;
    private long count;

    CountingInputStream(InputStream in, Progress progress, String task, long limit) {
        super(in);
        this.progress = progress;
        this.task = task;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) throws IOException {
        count += n;
        if (count > limit) {
            throw new IOException("more than the announced " + limit + " bytes arrived");
        }
        progress.advance(task, n);
    }
}
