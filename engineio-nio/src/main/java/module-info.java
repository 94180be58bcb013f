/**
 * engineio-nio: an Engine.IO server (protocol versions 3 and 4) on {@code java.nio}, with no dependency
 * beyond the JDK.
 *
 * <p>Exported packages are the public API: {@code dev.engineionio} (the server), {@code dev.engineionio.protocol}
 * (the codec) and {@code dev.engineionio.socketio} (the Socket.IO server, built on the first alone). Every other
 * package ({@code server}, {@code http}, {@code websocket}, {@code session}, {@code timer}, {@code driver}) is
 * internal and may change without notice.
 */
module dev.engineionio {
    exports dev.engineionio;
    exports dev.engineionio.protocol;
    exports dev.engineionio.socketio;
}
