package dev.engineionio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

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

    /**
     * The session id.
     *
     * @return 20 URL-safe base64 characters
     */
    String id();

    /**
     * The protocol revision of the client ({@code EIO} query parameter).
     *
     * @return 3 or 4
     */
    int protocol();

    /**
     * The current transport. Exact on the session's loop; from another thread it may lag behind an upgrade.
     *
     * @return {@code polling} or {@code websocket}
     */
    String transport();

    /**
     * The peer address of the handshake connection.
     *
     * @return the address (a proxy's, behind a proxy)
     */
    InetSocketAddress remoteAddress();

    /**
     * The client's IP: the first address of the handshake's {@code X-Forwarded-For} when the server is configured to
     * trust it ({@link EngineServer.Builder#trustForwardedFor}), else the peer address.
     *
     * @return the IP address as text
     */
    String remoteIp();

    /**
     * The handshake request's headers, copied once at the handshake.
     *
     * @return lower-case names to values in arrival order; unmodifiable
     */
    Map<String, List<String>> handshakeHeaders();

    /**
     * The handshake request's query parameters, copied once at the handshake.
     *
     * @return names to the first value of each, percent-decoded; unmodifiable
     */
    Map<String, String> handshakeQuery();

    /**
     * The handshake request's target as the client sent it: path and query ({@code /engine.io/?EIO=4&transport=polling&t=...}),
     * the reference's {@code request.url}.
     *
     * @return the path, then {@code ?} and the raw (not decoded) query when there is one
     */
    String handshakeUrl();

    /**
     * Runs a task on the session's loop: at once when called on that loop, else queued to it (tasks from one thread
     * keep their order, also with {@code send} and {@code close}). The task runs also after the session closed (check
     * {@link #isOpen()}), and is dropped only when the server stops. An exception it throws is logged and closes the
     * session. Any thread. For layers above the session (Socket.IO) that keep per-session state on its loop.
     *
     * @param task the task
     */
    void execute(Runnable task);

    /**
     * A task scheduled by {@link #schedule}.
     */
    interface Timer {
        /**
         * Cancels the task if it has not run yet. Any thread; on the session's loop the task is guaranteed not to run
         * after this returns true.
         *
         * @return true if this call cancelled it, false if it had already run or been cancelled
         */
        boolean cancel();
    }

    /**
     * Runs a task on the session's loop once {@code delay} of the server's clock has passed (the loop's timer
     * wheel: a few milliseconds of granularity; a fake clock in tests moves it). Like {@link #execute}, the task runs
     * also after the session closed unless cancelled. Any thread.
     *
     * @param delay the delay, zero or more; a delay over 2<sup>62</sup> ns (146 years) is taken as 146 years
     * @param task  the task
     * @return a handle to cancel it
     * @throws IllegalArgumentException if {@code delay} is null or negative
     */
    Timer schedule(Duration delay, Runnable task);

    /**
     * Sends a text message ({@code 4<text>}). Ignored once the session is closing. Any thread.
     *
     * @param text the message
     */
    void send(String text);

    /**
     * Sends a binary message. Ignored once the session is closing. Any thread.
     *
     * @param data the message, copied at the call
     */
    void send(byte[] data);

    /**
     * Sends a text message from a {@link CharSequence} that need not outlive the call, such as the view an
     * {@link #onText} listener gets: it is copied before this method returns, into the session's reused write buffer
     * when called on the session's loop (no allocation), into a {@code String} from any other thread. A
     * {@code String} is sent as {@link #send(String)} does. Messages from one thread keep their order.
     *
     * @param text the message; not null
     */
    void send(CharSequence text);

    /**
     * Sends the bytes between {@code data}'s position and limit as a binary message. Ignored once the session is
     * closing. Any thread.
     *
     * @param data the message, copied at the call (its position is left untouched)
     */
    void send(ByteBuffer data);

    /**
     * Closes the session with reason {@code forced close}; packets already buffered are flushed first, as the
     * reference's {@code socket.close()}. Idempotent; any thread.
     */
    void close();

    /**
     * Whether the session is open (not closing or closed). Racy from other threads.
     *
     * @return true while open
     */
    boolean isOpen();

    /**
     * Whether a message sent now would be handed to the transport at once rather than wait in the write buffer (the
     * reference's {@code transport.writable}): a WebSocket that is not still writing the previous frames, a polling
     * transport with a GET waiting. False once the session is closing. Exact on the session's loop (run the check
     * there with {@link #execute}); from another thread it may lag. For layers that drop what cannot go out now
     * (Socket.IO's {@code volatile} flag).
     *
     * @return true while open and the transport can take a write now
     */
    boolean isWritable();

    /**
     * Adds a listener for text messages (the {@code message} event with a string).
     *
     * @param listener called on the session's loop with each text message
     * @return this socket
     */
    EngineSocket onMessage(Consumer<String> listener);

    /**
     * Adds a listener for text messages that takes each one as a view, without a {@code String} being made for it.
     * The {@link CharSequence} is valid only during the call: the loop reuses it for the next message, so copy what
     * you keep ({@code toString()}) and send it back with {@link #send(CharSequence)}, which copies it. While a socket
     * has no {@link #onMessage} listener, a WebSocket text message is decoded into a buffer the loop reuses, and an
     * echo ({@code socket.onText(socket::send)}) allocates nothing per message; over polling, and when an
     * {@code onMessage} listener needs a {@code String} anyway, the view is that {@code String}. Text listeners run
     * before {@code onMessage} listeners.
     *
     * @param listener called on the session's loop with each text message
     * @return this socket
     */
    EngineSocket onText(Consumer<CharSequence> listener);

    /**
     * Adds a listener for binary messages (the {@code message} event with a buffer).
     *
     * @param listener called on the session's loop with each binary message; the array is the listener's to keep
     * @return this socket
     */
    EngineSocket onBinary(Consumer<byte[]> listener);

    /**
     * Adds a listener for the close (the {@code close} event), called once per session. The {@code reason} is one of
     * the reference's: {@code transport close} (the client closed: {@code 1} over polling, the WebSocket or the TCP
     * connection closed), {@code transport error} (the description says which: {@code overlap from client},
     * {@code poll connection closed prematurely}, {@code invalid content}, {@code invalid heartbeat direction},
     * a WebSocket protocol error, ...), {@code ping timeout}, {@code parse error} (an undecodable packet or payload),
     * {@code forced close} ({@link #close()} or {@link EngineServer#close()}). The description is {@code null} when
     * there is none.
     *
     * @param listener called on the session's loop with the reason and the description
     * @return this socket
     */
    EngineSocket onClose(BiConsumer<String, String> listener);

    /**
     * Adds a listener for a completed upgrade (the {@code upgrade} event).
     *
     * @param listener called on the session's loop with the new transport's name ({@code websocket})
     * @return this socket
     */
    EngineSocket onUpgrade(Consumer<String> listener);

    /**
     * Adds a listener for the start of an upgrade (the {@code upgrading} event): the client's probe over the new
     * transport was answered ({@code 3probe}) and the session now waits for its {@code 5} (upgrade) packet.
     *
     * @param listener called on the session's loop with the new transport's name ({@code websocket})
     * @return this socket
     */
    EngineSocket onUpgrading(Consumer<String> listener);

    /**
     * Adds a listener for every packet received from the client while the session is open (the {@code packet}
     * event), before the session acts on it: heartbeats, messages, close, upgrade and noop packets alike.
     *
     * @param listener called on the session's loop with the packet type's name ({@code close}, {@code ping},
     *                 {@code pong}, {@code message}, {@code upgrade} or {@code noop}) and its data: a {@code String}
     *                 for text, a {@code byte[]} (the listener's to keep) for binary, or {@code null} when the packet
     *                 has none (nothing after its type, as in the reference's parser: {@code 6}, and also {@code 4})
     * @return this socket
     */
    EngineSocket onPacket(BiConsumer<String, Object> listener);

    /**
     * Adds a listener for the write buffer about to be handed to the transport (the {@code flush} event, which the
     * reference gives the buffer of packets; here their number).
     *
     * @param listener called on the session's loop with the number of packets flushed
     * @return this socket
     */
    EngineSocket onFlush(IntConsumer listener);

    /**
     * Adds a listener for the write buffer having been handed to the transport (the {@code drain} event).
     *
     * @param listener called on the session's loop
     * @return this socket
     */
    EngineSocket onDrain(Runnable listener);

    /**
     * Adds a listener for heartbeats (the {@code heartbeat} event: the client's pong received (v4) or its ping
     * received (v3)).
     *
     * @param listener called on the session's loop
     * @return this socket
     */
    EngineSocket onHeartbeat(Runnable listener);

    /**
     * The application's object for this session.
     *
     * @return the object set by {@link #attach}, or {@code null}
     */
    Object attachment();

    /**
     * Sets the application's object for this session. Any thread.
     *
     * @param attachment the object, or {@code null}
     */
    void attach(Object attachment);
}
