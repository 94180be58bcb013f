package dev.engineionio.interop;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A server started by hand outside the tests (e.g. {@code examples}' EchoServer on port 3000), given by
 * {@code -Dinterop.externalUrl=http://127.0.0.1:3000/engine.io/}. It runs without flags, so cases that need a flag
 * are skipped (aborted by an assumption), not failed; {@link #close()} leaves the server running. The contract's
 * heartbeat is engine.io's default (25000/20000 ms): start {@code examples}' EchoServer with
 * {@code --pingInterval 25000 --pingTimeout 20000}.
 *
 * <p>Thread: immutable; any thread.
 */
final class ExternalServer implements ServerUnderTest {

    private final URI baseUri;

    private ExternalServer(URI baseUri) {
        this.baseUri = baseUri;
    }

    static Factory factory(URI baseUri) {
        return new Factory() {
            @Override
            public String name() {
                return "external";
            }

            @Override
            public ServerUnderTest start(List<String> flags) {
                Assumptions.assumeTrue(flags.isEmpty(), () -> "the external server runs without flags " + flags);
                return new ExternalServer(baseUri);
            }

            @Override
            public String toString() {
                return "external " + baseUri;
            }
        };
    }

    @Override
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
