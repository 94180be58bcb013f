package dev.engineionio.session;

/**
 * Makes session ids (the reference's overridable {@code generateId(req)}). An id must be unique among live
 * sessions and unguessable; it travels in URLs, cookies and JSON.
 *
 * <p>Implementations must be thread-safe: every loop calls it. If it throws, the driver answers the handshake
 * with code 3 "Bad request" ({@link RejectCause#ID_GENERATION_ERROR}).
 */
@FunctionalInterface
public interface SessionIdGenerator {
    /** A new session id. */
    String generateId();
}
