package dev.engineionio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A request given to an {@link HttpHandler} (or to the {@code allowRequest} hook of the Engine.IO handshake). An
 * immutable snapshot: it may be kept and read from any thread.
 */
public interface HttpRequest {

    /** The method, e.g. {@code GET}. */
    String method();

    /** The path of the target, without the query (not percent-decoded). */
    String path();

    /** The raw query, without {@code ?} (not percent-decoded); empty when none. */
    String query();

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    String header(String name);

    /** Every header in arrival order: lower-case name to values. */
    Map<String, List<String>> headers();

    /** The body (empty when none). */
    byte[] body();

    /** The peer's address, or {@code null} when the connection is already closed. */
    InetSocketAddress remoteAddress();
}
