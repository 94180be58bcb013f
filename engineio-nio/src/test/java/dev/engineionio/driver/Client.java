package dev.engineionio.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A blocking test client; its read timeout is a failure guard only. */
final class Client implements AutoCloseable {
    static final int GUARD_MS = 20_000;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Client(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, GUARD_MS);
        socket.setSoTimeout(GUARD_MS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A line without its '\n', or null at EOF. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
            }
            if (c == '\n') {
                return b.toString(StandardCharsets.US_ASCII);
            }
            b.write(c);
        }
    }

    /** Reads exactly n bytes or fails. */
    byte[] readN(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Reads and counts bytes until EOF. */
    long drainToEof() throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
        }
        return total;
    }

    /** True when the server closed: EOF, or a reset. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Skips whatever is buffered; true when the server closed (EOF or reset). */
    boolean drainUntilClosed() throws IOException {
        try {
            drainToEof();
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
