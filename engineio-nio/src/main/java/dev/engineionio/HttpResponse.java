package dev.engineionio;

import java.nio.charset.StandardCharsets;

/**
 * The answer an {@link HttpHandler} builds. Use it on the thread that called the handler, before the handler
 * returns; {@code Content-Length} and {@code Connection} are written by the server.
 */
public interface HttpResponse {

    /** Sets the status (default 200). */
    HttpResponse status(int status);

    /** Adds a header; names must be tokens and values must not hold CR, LF or other control characters. */
    HttpResponse header(String name, String value);

    /** Sends the response with {@code body}. Call once. */
    void send(byte[] body);

    /** Sends the response with {@code body} as UTF-8. Call once. */
    default void send(String body) {
        send(body.getBytes(StandardCharsets.UTF_8));
    }
}
