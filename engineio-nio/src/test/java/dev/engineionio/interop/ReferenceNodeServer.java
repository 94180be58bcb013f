package dev.engineionio.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reference server: npm {@code engine.io} 6.6.12 run by {@code src/test/js/reference-echo-server.js} on a free
 * loopback port, configured as the engine.io-protocol conformance suite configures it (see the echo-server contract
 * in {@code src/test/js/README.md}). It validates the harness itself: every interop scenario and transcript case must
 * pass against it.
 *
 * <p>Start-up: {@code node reference-echo-server.js 0 --exit-on-stdin-close <flags>}; the first stdout line is
 * {@code LISTENING <port>} (waited for at most 20 s). The child's stdin stays open as a lifeline: if this JVM dies,
 * the pipe closes and node exits. {@link #close()} closes stdin, then destroys the process.
 *
 * <p>Thread: created and closed by the test thread; a daemon thread drains the child's stdout.
 */
final class ReferenceNodeServer implements ServerUnderTest {

    static final Factory FACTORY = new Factory() {
        @Override
        public String name() {
            return "reference";
        }

        @Override
        public ServerUnderTest start(List<String> flags) throws IOException {
            return new ReferenceNodeServer(flags);
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private static final long START_TIMEOUT_SECONDS = 20;

    private final Process process;
    private final Path stderr;
    private final URI baseUri;

    private ReferenceNodeServer(List<String> flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(NodeHarness.node(), "reference-echo-server.js", "0",
                "--exit-on-stdin-close"));
        command.addAll(flags);
        stderr = Files.createTempFile("reference-echo-server", ".err");
        process = new ProcessBuilder(command)
                .directory(NodeHarness.jsDir().toFile())
                .redirectError(stderr.toFile())
                .start();
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                firstLine.complete(reader.readLine());
                while (reader.readLine() != null) {
                    // keep the pipe drained
                }
            } catch (IOException e) {
                firstLine.completeExceptionally(e);
            }
        }, "reference-echo-server-stdout");
        drain.setDaemon(true);
        drain.start();
        String line;
        try {
            line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while starting " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IOException("reference server did not start: " + command + "\n" + stderrText(), e);
        }
        if (line == null || !line.matches("LISTENING \\d+")) {
            close();
            throw new IOException("unexpected first line " + line + " from " + command + "\n" + stderrText());
        }
        baseUri = URI.create("http://127.0.0.1:" + line.substring("LISTENING ".length()) + "/engine.io/");
    }

    private String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temp file; the OS cleans it
        }
    }

    @Override
    public String toString() {
        return "reference " + baseUri;
    }
}
