package dev.engineionio.protocol;

/**
 * The two Engine.IO protocol versions the server speaks: {@code EIO=3} (Socket.IO 2.x clients) and {@code EIO=4}.
 *
 * <p>Immutable; any thread may use it.
 */
public enum ProtocolVersion {
    /** {@code EIO=3}: length-prefixed polling payloads, v3 binary payloads, client-initiated heartbeat. */
    V3,
    /** {@code EIO=4}: {@code \x1e}-separated polling payloads, server-initiated heartbeat. */
    V4;

    /**
     * The value of the {@code EIO} query parameter.
     *
     * @return 3 or 4
     */
    public int number() {
        return this == V3 ? 3 : 4;
    }
}
