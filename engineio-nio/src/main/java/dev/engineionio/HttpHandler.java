package dev.engineionio;

/**
 * Answers the plain HTTP requests that are not Engine.IO requests nor WebSocket endpoints (e.g. a demo's page). The
 * default answers {@code 404}.
 *
 * <p>Called on an event-loop thread: answer quickly ({@link HttpResponse#send} before returning) and do not block.
 * An exception (or returning without sending) answers {@code 500}.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles one request: answer it with {@link HttpResponse#send} before returning.
     *
     * @param request  the request, an immutable snapshot
     * @param response the answer to fill in and send, valid during this call only
     * @throws Exception anything; answered {@code 500} (and logged)
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
