package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS listener seen by {@code openssl s_client} (skipped when openssl is not installed): protocol versions,
 * ALPN, and TLS 1.2 renegotiation, with the alerts a foreign TLS stack reads. The key is made at test time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsOpensslTest {

    private static EngineServer server;
    private static Path ca;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        TestPki pki = TestPki.get();
        ca = pki.caPem;
        server = EngineServer.builder()
                .listenTls("127.0.0.1", 0, TlsContext.fromPkcs12(pki.serverStore("ec", "EC"), TestPki.PASSWORD))
                .eventLoops(1)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs s_client with {@code input} on its stdin; returns stdout and stderr together. */
    private static String sClient(String input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.port(), "-CAfile", ca.toString(), "-servername", "localhost"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "s_client did not end");
        return out;
    }

    @Test
    void tls13AndTls12AreNegotiatedWithAVerifiedCertificate() throws Exception {
        String v13 = sClient("", "-tls1_3");
        assertTrue(v13.contains("TLSv1.3") && v13.contains("Verify return code: 0 (ok)"), v13);
        String v12 = sClient("", "-tls1_2");
        assertTrue(v12.contains("Protocol  : TLSv1.2") && v12.contains("Verify return code: 0 (ok)"), v12);
    }

    @Test
    void tls11IsRefusedWithTheProtocolVersionAlert() throws Exception {
        String out = sClient("", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertTrue(out.contains("alert protocol version"), out);
    }

    @Test
    void alpnSelectsHttp11AndRefusesAClientWithoutIt() throws Exception {
        String both = sClient("", "-alpn", "h2,http/1.1");
        assertTrue(both.contains("ALPN protocol: http/1.1"), both);
        String h2 = sClient("", "-alpn", "h2");
        assertTrue(h2.contains("alert no application protocol"), h2);
    }

    @Test
    void clientInitiatedRenegotiationClosesTheConnection() throws Exception {
        // "R" on s_client's stdin asks for a renegotiation (TLS 1.2). stdin stays open: s_client ends only because
        // the server closes the connection.
        List<String> cmd = List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(), "-CAfile",
                ca.toString(), "-servername", "localhost", "-tls1_2");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "s_client did not end");
            int reneg = out.indexOf("RENEGOTIATING");
            assertTrue(reneg >= 0, out);
            String after = out.substring(reneg);
            assertTrue(after.contains("closed") || after.contains("error"), out);
            assertTrue(!after.contains("Verify return code"), "a second handshake completed: " + out);
        } finally {
            p.destroy();
        }
    }
}
