package dev.engineionio.interop;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A running Engine.IO echo server that the interop and conformance tests talk to over loopback.
 *
 * <p>Every implementation honours the echo-server contract of {@code src/test/js/README.md}: bound to 127.0.0.1,
 * Engine.IO path {@code /engine.io/}, pingInterval 25000 ms, pingTimeout 20000 ms, maxHttpBufferSize 1e6 bytes,
 * CORS origin {@code *}, EIO=3 allowed, every message echoed unchanged, plus the flags {@code --no-eio3},
 * {@code --cookie}, {@code --forbid <reason>}, {@code --pingInterval <ms>} and {@code --pingTimeout <ms>}.
 *
 * <p>Thread: created and closed by the test thread; {@link #baseUri()} may be read from any thread.
 */
interface ServerUnderTest extends AutoCloseable {

    /** The Engine.IO endpoint, e.g. {@code http://127.0.0.1:41123/engine.io/}. */
    URI baseUri();

    /** Stops the server and releases its port; idempotent. */
    @Override
    void close();

    /** Starts servers of one implementation; listed in {@link ServersUnderTest#servers()}. */
    interface Factory {
        /** A short name shown in test names, e.g. {@code reference}. */
        String name();

        /**
         * Starts one server with the given contract flags (see the class Javadoc) and returns once it accepts
         * connections.
         */
        ServerUnderTest start(List<String> flags) throws IOException;
    }
}
