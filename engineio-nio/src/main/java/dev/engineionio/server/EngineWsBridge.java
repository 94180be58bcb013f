package dev.engineionio.server;

import dev.engineionio.protocol.DecodeStatus;
import dev.engineionio.protocol.PacketEncoder;
import dev.engineionio.protocol.PacketHandler;
import dev.engineionio.protocol.PacketType;
import dev.engineionio.protocol.PayloadDecoder;
import dev.engineionio.protocol.ProtocolVersion;
import dev.engineionio.session.FrameSink;
import dev.engineionio.session.WriteBuffer;
import dev.engineionio.session.WebSocketTransport;
import dev.engineionio.websocket.WebSocketCloseCodes;
import dev.engineionio.websocket.WebSocketOpcodes;
import java.nio.ByteBuffer;

/**
 * The Engine.IO WebSocket transport over a {@link WsConnection}: each message is decoded as one packet
 * ({@link PayloadDecoder#decodeTextFrame}/{@code decodeBinaryFrame}) into the {@link WebSocketTransport}; each
 * outgoing packet is encoded straight into the connection's output behind its frame header (text
 * {@code <type><data>}, binary raw in v4 or type byte + data in v3, {@code b<base64>} text when the client asked
 * {@code b64}). After a send the transport is told it is writable again (the reference's {@code ws} send callback)
 * right after the read being decoded when the send came from one (the echo path: no command, no allocation), else
 * on the next loop pass, and in both cases only while the connection is below its high-water mark (else when it
 * drains). A message over
 * {@code maxHttpBufferSize} is closed with 1009 and reported as {@code RangeError: Max payload size exceeded}.
 *
 * <p>Loop thread only (the session's loop).
 */
final class EngineWsBridge implements WsListener, FrameSink, PacketHandler, Runnable {

    private final EngineIo engine;
    private final EngineSocketImpl sock;
    private final ProtocolVersion version;
    private final boolean supportsBinary;
    private WsConnection ws;
    private WebSocketTransport transport;
    private PayloadDecoder decoder;
    /** This loop's Engine.IO state (set with {@link #decoder}): the reusable view for binary packets. */
    private EngineIo.EngineLoop loopEngine;
    private boolean owesWritable;
    private boolean writableQueued;
    private long nowNs;

    EngineWsBridge(EngineIo engine, EngineSocketImpl sock, int protocol, boolean supportsBinary) {
        this.engine = engine;
        this.sock = sock;
        this.version = protocol == 4 ? ProtocolVersion.V4 : ProtocolVersion.V3;
        this.supportsBinary = supportsBinary;
    }

    void attach(WsConnection ws, WebSocketTransport transport) {
        this.ws = ws;
        this.transport = transport;
    }

    private PayloadDecoder decoder() {
        if (decoder == null) {
            EngineIo.EngineLoop el = LoopState.of(ws.connection().loop()).engine(engine);
            decoder = el.decoder;
            loopEngine = el;
        }
        return decoder;
    }

    // ------------------------------------------------------------------------------------------ input

    @Override
    public void onOpen(WsConnection ws, long nowNs) {
    }

    @Override
    public void onText(WsConnection ws, ByteBuffer buf, int offset, int length, long nowNs) {
        decode(buf, offset, length, nowNs, true);
    }

    @Override
    public void onBinary(WsConnection ws, ByteBuffer buf, int offset, int length, long nowNs) {
        decode(buf, offset, length, nowNs, false);
    }

    private void decode(ByteBuffer buf, int offset, int length, long nowNs, boolean text) {
        this.nowNs = nowNs;
        PayloadDecoder d = decoder();
        int p0 = buf.position();
        int l0 = buf.limit();
        DecodeStatus st;
        buf.position(offset);
        buf.limit(offset + length);
        try {
            st = text ? d.decodeTextFrame(version, buf, this) : d.decodeBinaryFrame(version, buf, this);
        } finally {
            buf.limit(l0);
            buf.position(p0);
        }
        if (st.isError()) {
            transport.onDecodeError(nowNs);
        }
    }

    @Override
    public boolean onPacket(PacketType type, boolean binary, ByteBuffer buf, int offset, int length) {
        if (binary) {
            transport.onPacket(type, null, loopEngine.view(buf, offset, length), nowNs);
        } else {
            // A view (no String) when only view listeners will see it; they get it for the call only.
            CharSequence text = sock.textAsView() ? loopEngine.text.set(buf, offset, length)
                    : decoder.string(buf, offset, length);
            transport.onPacket(type, text, null, nowNs);
        }
        return true;
    }

    @Override
    public void onWritable(WsConnection ws, long nowNs) {
        if (owesWritable) {
            owesWritable = false;
            transport.onWritable(nowNs);
        }
    }

    @Override
    public void onProtocolError(WsConnection ws, int closeCode, String reason, long nowNs) {
        String description = closeCode == WebSocketCloseCodes.MESSAGE_TOO_BIG
                ? "RangeError: Max payload size exceeded" : reason;
        transport.onError(description, nowNs);
    }

    @Override
    public void onClosed(WsConnection ws, int code, String reason) {
        transport.onClosed(ws.connection().loop().nowNs());
    }

    @Override
    public void afterRead(WsConnection ws, long nowNs) {
        if (owesWritable && ws.isWritable()) {
            owesWritable = false;
            transport.onWritable(nowNs);
        }
    }

    /**
     * The writable notice queued as a loop command by {@link #send} outside a read (the bridge is its own command
     * object: no per-session lambda).
     */
    @Override
    public void run() {
        writableQueued = false;
        if (!owesWritable) {
            return;
        }
        if (!ws.isWritable() && ws.connection().isOpen()) {
            return; // onWritable will come from the driver
        }
        owesWritable = false;
        transport.onWritable(ws.connection().loop().nowNs());
    }

    // ------------------------------------------------------------------------------------------ FrameSink

    @Override
    public void send(WriteBuffer batch) {
        for (int i = 0, n = batch.count(); i < n; i++) {
            PacketType type = batch.type(i);
            if (batch.isBinary(i)) {
                ByteBuffer data = batch.binary(i);
                if (supportsBinary) {
                    int len = PacketEncoder.measureBinaryFrame(version, data);
                    ByteBuffer dst = ws.beginFrame(WebSocketOpcodes.BINARY, len);
                    if (dst != null) {
                        PacketEncoder.writeBinaryFrame(version, type, data, dst);
                        ws.endFrame();
                    }
                } else {
                    int len = PacketEncoder.measureBase64Packet(version, data);
                    ByteBuffer dst = ws.beginFrame(WebSocketOpcodes.TEXT, len);
                    if (dst != null) {
                        PacketEncoder.writeBase64Packet(version, type, data, dst);
                        ws.endFrame();
                    }
                }
            } else {
                CharSequence text = batch.text(i);
                int len = PacketEncoder.measureTextPacket(type, text);
                ByteBuffer dst = ws.beginFrame(WebSocketOpcodes.TEXT, len);
                if (dst != null) {
                    PacketEncoder.writeTextPacket(type, text, dst);
                    ws.endFrame();
                }
            }
        }
        owesWritable = true;
        if (ws.isInRead()) {
            return; // afterRead reports it: no command, no allocation on the echo path
        }
        if (!writableQueued) {
            writableQueued = true;
            ws.connection().loop().execute(this);
        }
    }

    /** The Engine.IO shutdown closes the session, which closes this WebSocket once its queued packets are out. */
    @Override
    public boolean closesAtShutdown() {
        return true;
    }

    @Override
    public void close() {
        ws.close(-1, null);
    }
}
