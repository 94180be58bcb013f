package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server over TLS with the JDK's own clients: Engine.IO polling over https and WebSocket over wss with
 * {@link HttpClient}, a plain and a TLS listener side by side, the key-file helpers and a certificate reload. Keys are
 * made at test time ({@link TestPki}). Waits are failure guards only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsServerTest {

    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private EngineServer start(TlsContext tls) throws Exception {
        server = EngineServer.builder()
                .listen("127.0.0.1", 0)
                .listenTls("127.0.0.1", 0, tls)
                .eventLoops(2)
                .onConnection(s -> s.onMessage(s::send))
                .build()
                .start();
        return server;
    }

    private int tlsPort() {
        return server.addresses().get(1).getPort();
    }

    private static HttpClient client(SSLContext ctx) {
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void pollingOverHttpsBesideAPlainListener() throws Exception {
        TestPki pki = TestPki.get();
        start(TlsContext.fromPkcs12(pki.serverStore("rsa", "RSA"), TestPki.PASSWORD));
        HttpClient https = client(pki.clientContext());
        HttpResponse<String> open = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + tlsPort() + "/engine.io/?EIO=4&transport=polling")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, open.statusCode());
        assertTrue(open.body().startsWith("0{\"sid\":\""), open.body());
        assertEquals(HttpClient.Version.HTTP_1_1, open.version());
        String sid = open.body().substring(9, open.body().indexOf('"', 9));
        String base = "https://localhost:" + tlsPort() + "/engine.io/?EIO=4&transport=polling&sid=" + sid;
        HttpResponse<String> post = https.send(HttpRequest.newBuilder(URI.create(base))
                .POST(HttpRequest.BodyPublishers.ofString("4hello\u001e4world")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", post.body());
        HttpResponse<String> poll = https.send(HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("4hello\u001e4world", poll.body());

        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plain.statusCode());
        assertTrue(plain.body().startsWith("0{\"sid\":\""), plain.body());
    }

    @Test
    void webSocketOverWssEchoesSmallAndOneMegabyteMessages() throws Exception {
        TestPki pki = TestPki.get();
        start(TlsContext.fromPkcs12(pki.serverStore("ec", "EC"), TestPki.PASSWORD));
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        WebSocket ws = client(pki.clientContext()).newWebSocketBuilder().buildAsync(
                URI.create("wss://localhost:" + tlsPort() + "/engine.io/?EIO=4&transport=websocket"),
                new Collector(texts)).get(20, TimeUnit.SECONDS);
        String open = texts.poll(20, TimeUnit.SECONDS);
        assertNotNull(open);
        assertTrue(open.startsWith("0{\"sid\":\""), open);
        ws.sendText("4hello", true).get(20, TimeUnit.SECONDS);
        assertEquals("4hello", texts.poll(20, TimeUnit.SECONDS));
        String big = "4" + "x".repeat(999_999);
        ws.sendText(big, true).get(20, TimeUnit.SECONDS);
        String echoed = texts.poll(20, TimeUnit.SECONDS);
        assertNotNull(echoed);
        assertEquals(big.length(), echoed.length());
        assertEquals(big, echoed);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
    }

    /** Collects whole text messages. */
    static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<String> out;
        private final StringBuilder partial = new StringBuilder();

        Collector(BlockingQueue<String> out) {
            this.out = out;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                out.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Test
    void pemChainAndPkcs8KeyServeTheCertificate() throws Exception {
        TestPki pki = TestPki.get();
        Path[] pem = pki.serverPem("rsa", "RSA");
        start(TlsContext.fromPem(pem[0], pem[1]));
        X509Certificate[] seen = peerChain(pki.clientContext(), tlsPort());
        assertEquals(2, seen.length, "leaf and CA sent");
        assertTrue(seen[0].getSubjectX500Principal().getName().contains("O=rsa"));
    }

    @Test
    void pkcs1RsaAndSec1EcKeysFromOpensslServeTheirCertificates() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/openssl").canExecute(),
                "openssl is not installed (it converts the keys to the traditional forms)");
        TestPki pki = TestPki.get();
        Path[] rsa = pki.serverPem("rsa", "RSA");
        Path[] ec = pki.serverPem("ec", "EC");
        Path pkcs1 = pki.dir.resolve("rsa-pkcs1.pem");
        Path sec1 = pki.dir.resolve("ec-sec1.pem");
        openssl("rsa", "-in", rsa[1].toString(), "-traditional", "-out", pkcs1.toString());
        openssl("ec", "-in", ec[1].toString(), "-out", sec1.toString());
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
        TlsContext tls = TlsContext.fromPem(rsa[0], pkcs1);
        start(tls);
        assertTrue(peerChain(pki.clientContext(), tlsPort())[0].getSubjectX500Principal().getName().contains("O=rsa"));
        tls.reloadPem(ec[0], sec1);
        assertTrue(peerChain(pki.clientContext(), tlsPort())[0].getSubjectX500Principal().getName().contains("O=ec"));
    }

    private static void openssl(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + cmd + ": " + out);
    }

    @Test
    void encryptedOrMissingKeysAreRefusedWithAMessage() throws Exception {
        Path dir = TestPki.get().dir;
        Path enc = dir.resolve("encrypted-key.pem");
        Files.writeString(enc, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> TlsContext.readPemKey(Files.readString(enc), "encrypted-key.pem"));
        assertTrue(e.getMessage().contains("encrypted private keys are not supported"), e.getMessage());
        GeneralSecurityException none = assertThrows(GeneralSecurityException.class,
                () -> TlsContext.readPemKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x"));
        assertTrue(none.getMessage().contains("no private key"), none.getMessage());
    }

    @Test
    void reloadGivesNewConnectionsTheNewCertificateAndKeepsOpenOnes() throws Exception {
        TestPki pki = TestPki.get();
        TlsContext tls = TlsContext.fromPkcs12(pki.serverStore("rsa", "RSA"), TestPki.PASSWORD);
        start(tls);
        SSLContext client = pki.clientContext();
        // made before the connection: keytool's runs can outlast the requestHeaderTimeout (10 s, real clock) of a
        // connection that has sent no request yet on a loaded machine
        Path[] pem = pki.serverPem("renewed", "EC");
        try (SSLSocket before = connect(client, tlsPort())) {
            assertTrue(((X509Certificate) before.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName().contains("O=rsa"));
            tls.reloadPem(pem[0], pem[1]);
            // A client of its own: one that resumed the session made before the reload would see that session's
            // certificate (resumption sends none), which says nothing about what a new handshake gets.
            X509Certificate[] after = peerChain(pki.clientContext(), tlsPort());
            assertTrue(after[0].getSubjectX500Principal().getName().contains("O=renewed"));
            assertNotEquals(before.getSession().getPeerCertificates()[0], after[0]);
            // the connection made before the reload still works
            before.getOutputStream().write(("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] answer = before.getInputStream().readAllBytes();
            assertTrue(new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        }
    }

    static SSLSocket connect(SSLContext ctx, int port) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }

    static X509Certificate[] peerChain(SSLContext ctx, int port) throws Exception {
        try (SSLSocket s = connect(ctx, port)) {
            java.security.cert.Certificate[] c = s.getSession().getPeerCertificates();
            X509Certificate[] x = new X509Certificate[c.length];
            for (int i = 0; i < c.length; i++) {
                x[i] = (X509Certificate) c[i];
            }
            return x;
        }
    }

    @Test
    void negotiatesTls13AndAlpnHttp11() throws Exception {
        TestPki pki = TestPki.get();
        start(TlsContext.fromPkcs12(pki.serverStore("rsa", "RSA"), TestPki.PASSWORD));
        try (SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", tlsPort())) {
            s.setSoTimeout(20_000);
            javax.net.ssl.SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            assertEquals("http/1.1", s.getApplicationProtocol());
        }
        try (SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", tlsPort())) {
            s.setSoTimeout(20_000);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            assertEquals("TLSv1.2", s.getSession().getProtocol());
        }
    }
}
