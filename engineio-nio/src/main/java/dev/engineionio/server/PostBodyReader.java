package dev.engineionio.server;

import dev.engineionio.protocol.DecodeStatus;
import dev.engineionio.protocol.PacketHandler;
import dev.engineionio.protocol.PacketType;
import dev.engineionio.protocol.PayloadDecoder;
import dev.engineionio.protocol.ProtocolVersion;
import dev.engineionio.session.PostResponder;
import dev.engineionio.session.PostingTransport;
import java.nio.ByteBuffer;

/**
 * Reads a complete POST body in the polling payload format (polling, JSONP forms, and SSE's upstream) into its
 * transport: each packet in order ({@link PostingTransport#onPostPacket}), then the decode error if any, then the end.
 * The one place the polling and SSE exchanges share for it.
 *
 * <p>One per loop and engine ({@link EngineIo.EngineLoop}), used by one {@link #read} at a time on that loop's thread;
 * it keeps no reference to the transport, the responder or the buffer after the call. Text packets are decoded into
 * Strings (the session's listeners get them); a binary packet is a duplicate view of the caller's buffer, valid for
 * the call.
 */
final class PostBodyReader implements PacketHandler {

    private final PayloadDecoder decoder;
    private PostingTransport transport;
    private PostResponder responder;
    private long nowNs;

    PostBodyReader(PayloadDecoder decoder) {
        this.decoder = decoder;
    }

    /** Decodes {@code buf[offset, offset + length)} for {@code t}, answering through {@code r}; loop thread. */
    void read(PostingTransport t, PostResponder r, ProtocolVersion pv, boolean jsonp, boolean octet, ByteBuffer buf,
              int offset, int length, long nowNs) {
        this.transport = t;
        this.responder = r;
        this.nowNs = nowNs;
        int p0 = buf.position();
        int l0 = buf.limit();
        try {
            DecodeStatus st;
            buf.position(offset);
            buf.limit(offset + length);
            try {
                st = jsonp ? decoder.decodeJsonpForm(pv, buf, this) : decoder.decodePolling(pv, octet, buf, this);
            } finally {
                buf.limit(l0);
                buf.position(p0);
            }
            if (st.isError()) {
                t.onPostDecodeError(r, nowNs);
            }
            t.onPostEnd(r, nowNs);
        } finally {
            this.transport = null;
            this.responder = null;
        }
    }

    @Override
    public boolean onPacket(PacketType type, boolean binary, ByteBuffer buf, int offset, int length) {
        if (binary) {
            ByteBuffer view = buf.duplicate();
            view.position(offset);
            view.limit(offset + length);
            transport.onPostPacket(responder, type, null, view, nowNs);
        } else {
            transport.onPostPacket(responder, type, decoder.string(buf, offset, length), null, nowNs);
        }
        return true;
    }
}
