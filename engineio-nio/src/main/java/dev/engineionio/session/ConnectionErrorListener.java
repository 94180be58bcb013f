package dev.engineionio.session;

/**
 * The server-level {@code connection_error} event ({@code {req, code, message, context}} in the reference): emitted
 * by the {@link RequestVerifier} for every rejection, before the driver answers.
 *
 * <p>Called on the thread that runs the verifier. {@code verdict.errorCode()} gives the code and standard message,
 * {@code verdict.cause()} the precise cause, {@code verdict.contextJson()} the context. Neither argument may be
 * kept: both are reused for the next request.
 */
@FunctionalInterface
public interface ConnectionErrorListener {
    void onConnectionError(RequestFacts request, RequestVerdict verdict);
}
