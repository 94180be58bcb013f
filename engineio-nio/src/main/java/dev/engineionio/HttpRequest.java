package dev.engineionio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A request given to an {@link HttpHandler} (or to the {@code allowRequest} hook of the Engine.IO handshake). An
 * immutable snapshot: it may be kept and read from any thread.
 */
public interface HttpRequest {

    /**
     * The method.
     *
     * @return e.g. {@code GET}
     */
    String method();

    /**
     * The path of the target, without the query.
     *
     * @return e.g. {@code /index.html}, not percent-decoded
     */
    String path();

    /**
     * The raw query.
     *
     * @return the text after {@code ?}, not percent-decoded; empty when none
     */
    String query();

    /**
     * The first value of a header.
     *
     * @param name the header name, case-insensitive
     * @return the value, or {@code null} when absent
     */
    String header(String name);

    /**
     * Every header.
     *
     * @return lower-case names to values, in arrival order
     */
    Map<String, List<String>> headers();

    /**
     * The body, whole (at most {@link EngineServer.Builder#maxRequestBodySize} bytes).
     *
     * @return a copy of the body (each call copies); empty when none
     */
    byte[] body();

    /**
     * The peer's address.
     *
     * @return the address, or {@code null} when the connection is already closed
     */
    InetSocketAddress remoteAddress();
}
