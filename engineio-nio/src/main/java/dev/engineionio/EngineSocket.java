package dev.engineionio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One Engine.IO session (the reference's {@code Socket}), given to {@link EngineServer.Builder#onConnection}.
 *
 * <h2>Threads</h2>
 * A session belongs to one event loop (the loop of its handshake). Every listener runs on that loop thread, one at a
 * time, in wire order; long work in a listener stalls every connection of the loop. An exception thrown by a listener
 * is logged and closes this session only. {@code send}, {@code close} and the listener registrations may be called
 * from any thread: on the session's loop they act at once, from another thread they are queued to it, keeping the
 * order of one sender's calls.
 *
 * <h2>Ownership</h2>
 * {@code send} copies nothing it need not: a {@code String} is kept until encoded; {@code byte[]} and
 * {@link ByteBuffer} data are copied at the call, so the caller may reuse them at once.
 */
public interface EngineSocket {

    /** The session id (20 URL-safe base64 characters). */
    String id();

    /** The protocol revision: 3 or 4. */
    int protocol();

    /** The current transport: {@code polling} or {@code websocket}. Loop thread for an exact answer. */
    String transport();

    /** The peer address of the handshake connection. */
    InetSocketAddress remoteAddress();

    /**
     * The client's IP: the first address of the handshake's {@code X-Forwarded-For} when the server is configured to
     * trust it ({@link EngineServer.Builder#trustForwardedFor}), else the peer address.
     */
    String remoteIp();

    /** The handshake request's headers (lower-case names, values in order), copied once. */
    Map<String, List<String>> handshakeHeaders();

    /** The handshake request's query parameters (first value of each, percent-decoded), copied once. */
    Map<String, String> handshakeQuery();

    /** Sends a text message. Ignored once the session is closing. */
    void send(String text);

    /** Sends a binary message (copied). Ignored once the session is closing. */
    void send(byte[] data);

    /** Sends the bytes between {@code data}'s position and limit (copied; position untouched). */
    void send(ByteBuffer data);

    /** Closes the session (buffered packets are flushed first, as the reference's {@code socket.close()}). */
    void close();

    /** Whether the session is open (not closing or closed). Racy from other threads. */
    boolean isOpen();

    /** Adds a listener for text messages. */
    EngineSocket onMessage(Consumer<String> listener);

    /** Adds a listener for binary messages; the array is the listener's to keep. */
    EngineSocket onBinary(Consumer<byte[]> listener);

    /**
     * Adds a listener for the close: {@code reason} ({@code transport close}, {@code transport error},
     * {@code ping timeout}, {@code parse error}, {@code forced close}, {@code server shutting down}) and a
     * description or {@code null}.
     */
    EngineSocket onClose(BiConsumer<String, String> listener);

    /** Adds a listener for a completed upgrade; the argument is the new transport's name. */
    EngineSocket onUpgrade(Consumer<String> listener);

    /** Adds a listener for the write buffer having been handed to the transport ({@code drain}). */
    EngineSocket onDrain(Runnable listener);

    /** Adds a listener for heartbeats (a ping sent or received, v4 or v3). */
    EngineSocket onHeartbeat(Runnable listener);

    /** The application's object for this session, or {@code null}. */
    Object attachment();

    /** Sets the application's object for this session. */
    void attach(Object attachment);
}
