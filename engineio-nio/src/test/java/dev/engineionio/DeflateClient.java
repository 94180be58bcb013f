package dev.engineionio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A blocking WebSocket test client that speaks permessage-deflate with {@code java.util.zip} (written for these tests,
 * independently of the server's code): it offers what it is told, compresses what it sends (raw DEFLATE,
 * {@code Z_SYNC_FLUSH}, tail removed: RFC 7692 §7.2.1) and inflates what it receives, keeping or resetting each context
 * as the server's answer says. The read timeout is a failure guard only.
 */
final class DeflateClient implements AutoCloseable {

    /** A received message: opcode, whether its first frame had RSV1, the inflated payload, frames it came in. */
    record Message(int opcode, boolean compressed, byte[] payload, int frames) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final boolean agreed;
    private final boolean clientNoContextTakeover;
    private final boolean serverNoContextTakeover;
    private final byte[] mask = {0x11, 0x22, 0x33, 0x44};

    DeflateClient(int port, String path, String offer) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
        String req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n";
        out.write(req.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String l = line(); !l.isEmpty(); l = line()) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        String ext = headers.get("sec-websocket-extensions");
        agreed = ext != null && ext.startsWith("permessage-deflate");
        clientNoContextTakeover = agreed && ext.contains("client_no_context_takeover");
        serverNoContextTakeover = agreed && ext.contains("server_no_context_takeover");
    }

    boolean agreed() {
        return agreed;
    }

    String extensions() {
        return headers.get("sec-websocket-extensions");
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("EOF in response head");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The raw DEFLATE of one message, tail removed. */
    byte[] deflate(byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            o.write(buf, 0, n);
        } while (n == buf.length);
        if (clientNoContextTakeover) {
            deflater.reset();
        }
        byte[] all = o.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    /** Sends a message, compressed when {@code compress}, in frames of at most {@code fragment} bytes. */
    void send(int opcode, byte[] message, int fragment, boolean compress) throws IOException {
        byte[] payload = compress ? deflate(message) : message;
        int at = 0;
        boolean first = true;
        ByteArrayOutputStream wire = new ByteArrayOutputStream(payload.length + 64);
        do {
            int n = Math.min(fragment, payload.length - at);
            boolean fin = at + n == payload.length;
            int rsv = first && compress ? 0x40 : 0;
            frame(wire, (fin ? 0x80 : 0) | rsv | (first ? opcode : 0), payload, at, n);
            at += n;
            first = false;
        } while (at < payload.length);
        out.write(wire.toByteArray());
        out.flush();
    }

    /** Writes one frame with any first byte (for protocol-error tests). */
    void frame(int b0, byte[] payload) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, b0, payload, 0, payload.length);
        out.write(wire.toByteArray());
        out.flush();
    }

    private void frame(ByteArrayOutputStream wire, int b0, byte[] p, int off, int n) {
        wire.write(b0);
        if (n < 126) {
            wire.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            wire.write(0x80 | 126);
            wire.write(n >>> 8);
            wire.write(n & 0xFF);
        } else {
            wire.write(0x80 | 127);
            for (int s = 56; s >= 0; s -= 8) {
                wire.write((int) ((long) n >>> s) & 0xFF);
            }
        }
        wire.write(mask, 0, 4);
        for (int i = 0; i < n; i++) {
            wire.write(p[off + i] ^ mask[i & 3]);
        }
    }

    /** Reads the next data or close message (pings and pongs are skipped), inflating a compressed one. */
    Message read() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int opcode = -1;
        boolean compressed = false;
        int frames = 0;
        while (true) {
            int b0 = readByte();
            int b1 = readByte();
            long n = b1 & 0x7F;
            if (n == 126) {
                n = (readByte() << 8) | readByte();
            } else if (n == 127) {
                n = 0;
                for (int i = 0; i < 8; i++) {
                    n = (n << 8) | readByte();
                }
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("masked server frame");
            }
            byte[] p = in.readNBytes((int) n);
            if (p.length != n) {
                throw new IOException("EOF in frame");
            }
            int op = b0 & 0x0F;
            if (op >= 8) {
                if ((b0 & 0x70) != 0) {
                    throw new IOException("RSV bits on a control frame");
                }
                if (op == 8) {
                    return new Message(8, false, p, 1);
                }
                continue;
            }
            if (op != 0) {
                opcode = op;
                compressed = (b0 & 0x40) != 0;
            } else if ((b0 & 0x70) != 0) {
                throw new IOException("RSV bits on a continuation frame");
            }
            if ((b0 & 0x30) != 0) {
                throw new IOException("RSV2/RSV3 set");
            }
            frames++;
            payload.write(p, 0, p.length);
            if ((b0 & 0x80) != 0) {
                break;
            }
        }
        byte[] data = payload.toByteArray();
        if (compressed) {
            if (!agreed) {
                throw new IOException("compressed message without permessage-deflate");
            }
            data = inflate(data);
        }
        return new Message(opcode, compressed, data, frames);
    }

    private byte[] inflate(byte[] z) throws IOException {
        byte[] all = Arrays.copyOf(z, z.length + 4);
        all[z.length + 2] = (byte) 0xFF;
        all[z.length + 3] = (byte) 0xFF;
        inflater.setInput(all);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            while (!inflater.needsInput()) {
                int n = inflater.inflate(buf);
                o.write(buf, 0, n);
                if (n == 0 && !inflater.needsInput()) {
                    throw new IOException("inflate stalled");
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("server sent invalid DEFLATE data", e);
        }
        if (serverNoContextTakeover) {
            inflater.reset(); // the server promised not to refer back: a fresh window must do
        }
        return o.toByteArray();
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("EOF");
        }
        return b;
    }

    /** Reads until EOF; true if the server closed the TCP connection. */
    boolean awaitEof() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        deflater.end();
        inflater.end();
        socket.close();
    }
}
