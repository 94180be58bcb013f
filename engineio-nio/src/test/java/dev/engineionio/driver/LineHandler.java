package dev.engineionio.driver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The test protocol: '\n'-terminated ASCII lines. A plain line is echoed. Commands: {@code BOOM} throws,
 * {@code CLOSE} closes after flush, {@code UPGRADE} answers {@code OK} and swaps to {@link UpperCaseHandler},
 * {@code FLOOD n} writes n bytes honouring backpressure, {@code PUSH n} writes n bytes ignoring it. A partial line
 * older than the header timeout closes the connection (slowloris guard). At EOF it answers {@code EOF} and closes
 * after flush. A connection is {@link Connection#markServed() served} from its first complete line on.
 */
final class LineHandler implements ConnectionHandler {

    static final byte[] PATTERN = new byte[16 * 1024];

    static {
        Arrays.fill(PATTERN, (byte) 'x');
    }

    private final TestServer server;
    private long floodRemaining;

    LineHandler(TestServer server) {
        this.server = server;
    }

    @Override
    public void onOpen(Connection c, long nowNs) {
        if (server.headerTimeoutNs > 0) {
            c.setDeadline(nowNs + server.headerTimeoutNs);
        }
        server.opened(c);
    }

    @Override
    public void onRead(Connection c, ByteBuffer src, long nowNs) {
        while (true) {
            int nl = -1;
            for (int i = src.position(); i < src.limit(); i++) {
                if (src.get(i) == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                break;
            }
            byte[] line = new byte[nl - src.position() + 1];
            src.get(line);
            c.markServed();
            onLine(c, new String(line, 0, line.length - 1, StandardCharsets.US_ASCII), line);
            if (!c.isOpen() || c.isClosing() || c.handler() != this) {
                return;
            }
        }
        if (server.headerTimeoutNs > 0) {
            if (!src.hasRemaining()) {
                c.clearDeadline();
            } else if (!c.hasDeadline()) {
                c.setDeadline(nowNs + server.headerTimeoutNs);
            }
        }
    }

    private void onLine(Connection c, String s, byte[] line) {
        if (s.equals("BOOM")) {
            throw new IllegalStateException("boom (test)");
        } else if (s.equals("CLOSE")) {
            c.closeAfterFlush();
        } else if (s.equals("UPGRADE")) {
            write(c, "OK\n");
            c.setHandler(new UpperCaseHandler(server));
        } else if (s.startsWith("FLOOD ")) {
            floodRemaining = Long.parseLong(s.substring(6));
            pump(c);
        } else if (s.startsWith("PUSH ")) {
            long n = Long.parseLong(s.substring(5));
            while (n > 0 && c.isOpen()) {
                int k = (int) Math.min(n, PATTERN.length);
                c.write(ByteBuffer.wrap(PATTERN, 0, k));
                n -= k;
                if (c.isOpen()) {
                    server.maxQueuedCareless.accumulateAndGet(c.queuedBytes(), Math::max);
                }
            }
        } else {
            ByteBuffer out = c.writeBuffer(line.length);
            out.put(line);
            c.commitWrite();
        }
    }

    private void pump(Connection c) {
        while (floodRemaining > 0 && c.isWritable()) {
            ByteBuffer b = c.writeBuffer(1);
            int n = (int) Math.min(Math.min(b.remaining(), floodRemaining), PATTERN.length);
            b.put(PATTERN, 0, n);
            c.commitWrite();
            floodRemaining -= n;
            server.maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
        }
        if (floodRemaining > 0) {
            server.backpressured.countDown();
        }
    }

    @Override
    public void onWritable(Connection c, long nowNs) {
        server.writableEvents.incrementAndGet();
        pump(c);
    }

    @Override
    public void onEof(Connection c, long nowNs) {
        write(c, "EOF\n");
        c.closeAfterFlush();
    }

    @Override
    public void onTimeout(Connection c, long nowNs) {
        server.timeouts.incrementAndGet();
        c.close();
    }

    @Override
    public void onShutdown(Connection c, long nowNs) {
        write(c, "BYE\n");
        c.closeAfterFlush();
    }

    @Override
    public void onClose(Connection c, CloseCause cause) {
        server.closed(c, cause);
    }

    static void write(Connection c, String s) {
        c.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)));
    }

    /** After an upgrade: raw bytes echoed upper-cased, no framing. */
    static final class UpperCaseHandler implements ConnectionHandler {
        private final TestServer server;

        UpperCaseHandler(TestServer server) {
            this.server = server;
        }

        @Override
        public void onRead(Connection c, ByteBuffer src, long nowNs) {
            ByteBuffer out = c.writeBuffer(src.remaining());
            while (src.hasRemaining()) {
                byte b = src.get();
                out.put(b >= 'a' && b <= 'z' ? (byte) (b - 32) : b);
            }
            c.commitWrite();
        }

        @Override
        public void onClose(Connection c, CloseCause cause) {
            server.closed(c, cause);
        }
    }
}
