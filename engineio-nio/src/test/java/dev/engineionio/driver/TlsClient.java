package dev.engineionio.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A blocking TLS test client built on a client-mode {@link SSLEngine} over a plain socket, so that a test controls
 * every byte on the wire: segment sizes, a close without close_notify, renegotiation, raw garbage. Its read timeout
 * is a failure guard only. One thread.
 */
final class TlsClient implements AutoCloseable {

    final Socket socket;
    final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private ByteBuffer netIn;
    private ByteBuffer app;
    private final ByteBuffer netOut;
    /** Bytes per socket write (1 splits every record into one-byte segments). */
    int segment = Integer.MAX_VALUE;
    /** The peer's close_notify was read. */
    boolean closeNotifyReceived;

    TlsClient(SSLContext ctx, InetSocketAddress address, String... protocols) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        socket.connect(address, 20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        engine = ctx.createSSLEngine("localhost", address.getPort());
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        engine.setSSLParameters(p);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet * 2);
        netIn.flip();
        app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        netOut = ByteBuffer.allocate(packet * 2);
    }

    /** Runs the handshake (begun, or a renegotiation after {@link SSLEngine#beginHandshake()}). */
    void handshake() throws IOException {
        engine.beginHandshake();
        pump();
    }

    private void pump() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP:
                    wrap(ByteBuffer.allocate(0));
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (!unwrapOnce()) {
                        throw new SSLException("EOF during handshake");
                    }
                    break;
                case NEED_TASK:
                    Runnable t;
                    while ((t = engine.getDelegatedTask()) != null) {
                        t.run();
                    }
                    break;
                default:
                    return;
            }
        }
    }

    private void wrap(ByteBuffer src) throws IOException {
        do {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            netOut.flip();
            writeRaw(netOut.array(), 0, netOut.limit());
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                Runnable t;
                while ((t = engine.getDelegatedTask()) != null) {
                    t.run();
                }
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return;
            }
        } while (src.hasRemaining());
    }

    /** Writes raw bytes in {@link #segment}-sized writes. */
    void writeRaw(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i += segment) {
            out.write(b, off + i, Math.min(segment, len - i));
            out.flush();
        }
    }

    /** Reads and unwraps one step; false at EOF (or the peer's close_notify). */
    private boolean unwrapOnce() throws IOException {
        while (true) {
            SSLEngineResult r = engine.unwrap(netIn, app);
            switch (r.getStatus()) {
                case OK:
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        Runnable t;
                        while ((t = engine.getDelegatedTask()) != null) {
                            t.run();
                        }
                    }
                    return true;
                case CLOSED:
                    closeNotifyReceived = true;
                    return false;
                case BUFFER_OVERFLOW:
                    ByteBuffer bigger = ByteBuffer.allocate(app.capacity() * 2);
                    app.flip();
                    bigger.put(app);
                    app = bigger;
                    break;
                case BUFFER_UNDERFLOW:
                default:
                    netIn.compact();
                    if (!netIn.hasRemaining()) {
                        ByteBuffer larger = ByteBuffer.allocate(netIn.capacity() * 2);
                        netIn.flip();
                        larger.put(netIn);
                        netIn = larger;
                    }
                    int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                    if (n < 0) {
                        netIn.flip();
                        return false;
                    }
                    netIn.position(netIn.position() + n);
                    netIn.flip();
                    break;
            }
        }
    }

    void send(String s) throws IOException {
        wrap(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)));
    }

    /** One application record per byte of {@code s}. */
    void sendByteRecords(byte[] s) throws IOException {
        for (byte b : s) {
            wrap(ByteBuffer.wrap(new byte[] {b}));
        }
    }

    /** A line of plaintext without its '\n', or null at the end of the stream. */
    String readLine() throws IOException {
        while (true) {
            app.flip();
            for (int i = app.position(); i < app.limit(); i++) {
                if (app.get(i) == '\n') {
                    byte[] line = new byte[i - app.position()];
                    app.get(line);
                    app.get();
                    app.compact();
                    return new String(line, StandardCharsets.US_ASCII);
                }
            }
            app.compact();
            if (!unwrapOnce()) {
                return null;
            }
        }
    }

    /** Reads plaintext until the stream ends (close_notify or EOF); returns the byte count. */
    long drainToEnd() throws IOException {
        long total = 0;
        while (true) {
            app.flip();
            total += app.remaining();
            app.clear();
            if (!unwrapOnce()) {
                app.flip();
                total += app.remaining();
                app.clear();
                return total;
            }
        }
    }

    /** Sends close_notify. */
    void closeNotify() throws IOException {
        engine.closeOutbound();
        wrap(ByteBuffer.allocate(0));
    }

    /** Reads the raw bytes until EOF (a reset counts as EOF). */
    byte[] readRawToEof() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketException reset) {
            // the server closed with unread input: a reset is the end too
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
