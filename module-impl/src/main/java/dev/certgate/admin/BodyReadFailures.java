package dev.certgate.admin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An admin request body whose read failures are reported as {@link UnreadableBodyException}: once the container
 * fails a read, the body is the caller's broken one, whatever the container's exception type.
 */
final class BodyReadFailures extends FilterInputStream {
    BodyReadFailures(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException failure) {
            throw new UnreadableBodyException(failure);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException failure) {
            throw new UnreadableBodyException(failure);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException failure) {
            throw new UnreadableBodyException(failure);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
