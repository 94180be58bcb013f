package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.engineionio.EngineServer;
import dev.engineionio.TestPki;
import dev.engineionio.TlsContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo in a real browser: {@link DemoServer} in-process on a free port of 127.0.0.1, and
 * {@code src/test/js/demo-e2e.js} driving headless Chromium ({@code /usr/bin/chromium}, or {@code -Ddemo.chromium=})
 * through playwright-core: page A (default transports) and page B ({@code ?transport=polling}) join, exchange messages
 * both ways, A shows the upgrade to websocket, B stays on polling, both show a round-trip time, B leaves. Screenshots:
 * {@code examples/target/demo-e2e.png} (A) and {@code examples/target/demo-e2e-polling.png} (B).
 *
 * <p>Without Chromium the test fails with how to install it (it does not skip: {@code mvn verify} runs every test).
 * The waits are the script's page conditions; the process wait here is a failure guard only.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoBrowserTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

    @Test
    void twoBrowserPagesChatOverWebSocketAndPolling() throws Exception {
        run(false);
    }

    /** The same over https and wss ({@code --tls}), the test's certificate pinned in Chromium by its key's hash. */
    @Test
    void twoBrowserPagesChatOverHttpsAndWss() throws Exception {
        run(true);
    }

    private void run(boolean https) throws Exception {
        Path chromium = Path.of(System.getProperty("demo.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            fail("The demo's browser test needs Chromium at " + chromium + " and it is not there. Install it: "
                    + "`sudo apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this), or point to another "
                    + "Chromium/Chrome with -Ddemo.chromium=/path/to/chrome.");
        }
        Path js = BASEDIR.resolve("src/test/js");
        assertTrue(Files.isDirectory(js.resolve("node_modules/playwright-core")),
                "playwright-core is not installed in " + js + ": the build's npm-ci-demo-e2e step (exec-maven-plugin, "
                        + "process-test-resources) installs it; by hand: cd " + js + " && npm ci");
        String tag = https ? "-tls" : "";
        Path screenshot = BASEDIR.resolve("target/demo-e2e" + tag + ".png").toAbsolutePath();
        Path screenshotPolling = BASEDIR.resolve("target/demo-e2e" + tag + "-polling.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        Path screenshotSse = BASEDIR.resolve("target/demo-e2e" + tag + "-sse.png").toAbsolutePath();
        Files.deleteIfExists(screenshotPolling);
        Files.deleteIfExists(screenshotSse);
        Path stderr = BASEDIR.resolve("target/demo-e2e" + tag + ".stderr.log");

        List<String> serverLog = new CopyOnWriteArrayList<>();
        DemoServer demo = new DemoServer(serverLog::add);
        String spki = null;
        if (https) {
            TestPki pki = TestPki.get();
            Path store = pki.serverStore("rsa", "RSA");
            demo.tls = TlsContext.fromPkcs12(store, TestPki.PASSWORD);
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(store)) {
                ks.load(in, TestPki.PASSWORD);
            }
            byte[] key = ks.getCertificate("server").getPublicKey().getEncoded();
            spki = java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(key));
        }
        EngineServer server = demo.server(0, "127.0.0.1").start();
        String result;
        int exit;
        try {
            ProcessBuilder pb = new ProcessBuilder("node", "demo-e2e.js",
                    (https ? "https" : "http") + "://127.0.0.1:" + server.port() + "/", screenshot.toString())
                    .directory(js.toFile())
                    .redirectError(stderr.toFile());
            pb.environment().put("CHROMIUM_PATH", chromium.toString());
            if (spki != null) {
                pb.environment().put("CHROMIUM_SPKI", spki);
            }
            Process node = pb.start();
            try {
                node.getOutputStream().close();
                if (!node.waitFor(120, TimeUnit.SECONDS)) {
                    fail("demo-e2e.js gave no result in 120 s; stderr: " + read(stderr));
                }
                result = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                exit = node.exitValue();
            } finally {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly();
            }
        } finally {
            server.close();
        }

        String why = "stdout: " + result + "\nstderr: " + read(stderr);
        assertEquals(0, exit, why);
        assertTrue(result.startsWith("{\"ok\":true,"), why);
        // What each page showed: A went polling -> websocket on the client's upgrade event, B stayed on polling.
        assertTrue(result.contains(
                "\"a\":{\"transport\":\"websocket\",\"transports\":[\"polling\",\"websocket\"]"), why);
        assertTrue(result.contains("\"b\":{\"transport\":\"polling\",\"transports\":[\"polling\"]"), why);
        // What the browser saw on the wire: A opened one WebSocket (the upgrade), B none.
        assertTrue(result.contains("\"c\":{\"transport\":\"sse\",\"transports\":[\"sse\"]"), why);
        assertTrue(result.contains("\"webSockets\":{\"A\":[\"/engine.io/\"],\"B\":[],\"C\":[]}"), why);
        assertTrue(result.matches(".*\"c\":\\{[^}]*\"rtt\":\"\\d+(\\.\\d)? ms\".*"), why);
        assertTrue(Files.size(screenshotSse) > 1000, "the SSE page's screenshot " + screenshotSse);
        assertTrue(result.matches(".*\"a\":\\{[^}]*\"rtt\":\"\\d+(\\.\\d)? ms\".*"), why);
        assertTrue(result.matches(".*\"b\":\\{[^}]*\"rtt\":\"\\d+(\\.\\d)? ms\".*"), why);
        assertTrue(Files.size(screenshot) > 1000, "screenshot " + screenshot);
        assertTrue(Files.size(screenshotPolling) > 1000, "screenshot " + screenshotPolling);

        // What the server saw: both joined over polling, only Alice upgraded, Bob's leave was noticed.
        assertTrue(serverLog.contains("Alice joined over polling"), serverLog.toString());
        assertTrue(serverLog.contains("Bob joined over polling"), serverLog.toString());
        assertTrue(serverLog.contains("Carol joined over sse"), serverLog.toString());
        assertFalse(serverLog.stream().anyMatch(l -> l.startsWith("Carol upgraded")), serverLog.toString());
        assertTrue(serverLog.contains("Alice upgraded to websocket"), serverLog.toString());
        assertFalse(serverLog.stream().anyMatch(l -> l.startsWith("Bob upgraded")), serverLog.toString());
        assertTrue(serverLog.stream().anyMatch(l -> l.startsWith("Bob left")), serverLog.toString());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
