package dev.engineionio.websocket;

/**
 * The limits the message layer enforces on what a peer may make it hold, immutable and shareable between
 * connections (any thread may read it).
 *
 * <table>
 *   <caption>Limits, their defaults and what happens at the edge</caption>
 *   <tr><th>limit</th><th>{@link #DEFAULT}</th><th>{@link #ENGINE_IO}</th><th>exceeded (strictly greater)</th></tr>
 *   <tr><td>{@link #maxFramePayload()}: declared payload length of one data frame</td><td>16 MiB (16 777 216)</td>
 *       <td>1 000 000</td><td>{@link WebSocketError#FRAME_TOO_LARGE}, close 1009, checked on the header before any
 *       payload byte is read</td></tr>
 *   <tr><td>{@link #maxMessageSize()}: total payload of one data message, all fragments</td><td>16 MiB (16 777 216)</td>
 *       <td>1 000 000</td><td>{@link WebSocketError#MESSAGE_TOO_LARGE}, close 1009, checked on each frame header
 *       against the budget left, before buffering</td></tr>
 *   <tr><td>{@link #maxFragments()}: frames in one data message</td><td>1 048 576</td><td>1 048 576</td>
 *       <td>{@link WebSocketError#TOO_MANY_FRAGMENTS}, close 1008</td></tr>
 * </table>
 *
 * The 16 MiB default lets a raw endpoint pass Autobahn|Testsuite 9.x, whose largest messages are exactly 16 MiB in one
 * frame (9.1.6, 9.2.6) or 4 MiB in 64-byte fragments (9.3.1: 65 536 frames). {@link #ENGINE_IO} mirrors engine.io's
 * default {@code maxHttpBufferSize} (1e6 bytes, passed to {@code ws} as {@code maxPayload}, which closes with 1009).
 * Control frames are capped at 125 bytes by RFC 6455 §5.5, not by these limits.
 */
public final class WebSocketLimits {

    /** Largest value any limit may take: the accumulator is one heap {@code ByteBuffer}. */
    public static final int MAX_LIMIT = Integer.MAX_VALUE - 8;

    /** Raw endpoint defaults: 16 MiB frame, 16 MiB message, 1 048 576 fragments. */
    public static final WebSocketLimits DEFAULT = new WebSocketLimits(16 << 20, 16 << 20, 1 << 20);

    /** Engine.IO defaults ({@code maxHttpBufferSize} = 1e6): 1 000 000 byte frame and message, 1 048 576 fragments. */
    public static final WebSocketLimits ENGINE_IO = new WebSocketLimits(1_000_000, 1_000_000, 1 << 20);

    private final int maxFramePayload;
    private final int maxMessageSize;
    private final int maxFragments;

    /**
     * @param maxFramePayload largest accepted data frame payload in bytes, 0..{@link #MAX_LIMIT}
     * @param maxMessageSize largest accepted message in bytes, 0..{@link #MAX_LIMIT}
     * @param maxFragments most frames per message, 1..{@link #MAX_LIMIT}
     * @throws IllegalArgumentException if a value is out of range (configuration error)
     */
    public WebSocketLimits(int maxFramePayload, int maxMessageSize, int maxFragments) {
        if (maxFramePayload < 0 || maxFramePayload > MAX_LIMIT) {
            throw badLimit("maxFramePayload", maxFramePayload);
        }
        if (maxMessageSize < 0 || maxMessageSize > MAX_LIMIT) {
            throw badLimit("maxMessageSize", maxMessageSize);
        }
        if (maxFragments < 1 || maxFragments > MAX_LIMIT) {
            throw badLimit("maxFragments", maxFragments);
        }
        this.maxFramePayload = maxFramePayload;
        this.maxMessageSize = maxMessageSize;
        this.maxFragments = maxFragments;
    }

    private static IllegalArgumentException badLimit(String name, int value) {
        return new IllegalArgumentException(name + " out of range: " + value);
    }

    /** Largest accepted payload of one data frame, in bytes (inclusive). */
    public int maxFramePayload() {
        return maxFramePayload;
    }

    /** Largest accepted data message, all fragments together, in bytes (inclusive). */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Most frames one data message may span (inclusive). */
    public int maxFragments() {
        return maxFragments;
    }

    /** A copy with another frame limit. */
    public WebSocketLimits withMaxFramePayload(int value) {
        return new WebSocketLimits(value, maxMessageSize, maxFragments);
    }

    /** A copy with another message limit. */
    public WebSocketLimits withMaxMessageSize(int value) {
        return new WebSocketLimits(maxFramePayload, value, maxFragments);
    }

    /** A copy with another fragment limit. */
    public WebSocketLimits withMaxFragments(int value) {
        return new WebSocketLimits(maxFramePayload, maxMessageSize, value);
    }

    @Override
    public String toString() {
        return "WebSocketLimits[maxFramePayload=" + maxFramePayload + ", maxMessageSize=" + maxMessageSize
                + ", maxFragments=" + maxFragments + "]";
    }
}
