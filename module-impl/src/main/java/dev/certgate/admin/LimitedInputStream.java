package dev.certgate.admin;

import dev.certgate.http.BodyDeadline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * An admin request body held to its limits while it is read: it fails as soon as more than {@code limit} bytes have
 * come, so no body is buffered unbounded, and at the first read past the {@link BodyDeadline} that finds it late, so
 * a caller trickling it in holds a thread for at most the deadline and one container idle timeout.
 */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final BodyDeadline deadline;
    private final LongSupplier clockMillis;
    private final long startedMillis;
    private long count;

    /** A body limited in size only. */
    LimitedInputStream(InputStream in, long limit) {
        this(in, limit, null, System::currentTimeMillis);
    }

    /** @param deadline null for none; counted from now, when the request's head has arrived */
    LimitedInputStream(InputStream in, long limit, BodyDeadline deadline, LongSupplier clockMillis) {
        super(in);
        this.limit = limit;
        this.deadline = deadline;
        this.clockMillis = clockMillis;
        this.startedMillis = clockMillis.getAsLong();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b >= 0 ? 1 : 0);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        count(Math.max(n, 0));
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) throws IOException {
        count += n;
        if (count > limit) {
            throw new BodyTooLargeException(limit);
        }
        if (deadline != null && n > 0) {
            String late = deadline.late(count, clockMillis.getAsLong() - startedMillis);
            if (late != null) {
                throw UnreadableBodyException.tooSlow("The request body " + late + "; nothing was changed");
            }
        }
    }
}
