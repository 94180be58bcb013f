package dev.engineionio.bench.driver;

import dev.engineionio.TlsContext;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What one TLS handshake costs the server's event loop: full handshakes between a client engine and a server engine
 * of {@link TlsContext} (the settings the server uses) in memory, no sockets, one thread; the time spent in the
 * server engine's {@code wrap}/{@code unwrap} and in its delegated tasks is summed separately (the client's work is
 * not counted). Prints the mean per handshake after a warm-up.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.driver.TlsHandshakeCostMain
 * PKCS12 PASSWORD [HANDSHAKES] [TLSv1.3|TLSv1.2]}
 */
public final class TlsHandshakeCostMain {

    private TlsHandshakeCostMain() {
    }

    private static long taskNs;
    private static long engineNs;

    public static void main(String[] args) throws Exception {
        TlsContext tls = TlsContext.fromPkcs12(Path.of(args[0]), args[1].toCharArray());
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        String protocol = args.length > 3 ? args[3] : "TLSv1.3";
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        for (int i = 0; i < n / 2; i++) {
            handshake(tls, client, protocol);
        }
        taskNs = 0;
        engineNs = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            handshake(tls, client, protocol);
        }
        long wall = System.nanoTime() - start;
        System.out.printf("%s, %d handshakes: server engine %.1f us + delegated tasks %.1f us per handshake"
                + " (client and server together: %.1f us wall per handshake)%n", protocol, n,
                engineNs / 1e3 / n, taskNs / 1e3 / n, wall / 1e3 / n);
    }

    private static void handshake(TlsContext tls, SSLContext clientContext, String protocol) throws Exception {
        SSLEngine server = tls.newServerEngine();
        SSLEngine client = clientContext.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        int packet = Math.max(server.getSession().getPacketBufferSize(), 1 << 15);
        ByteBuffer c2s = ByteBuffer.allocate(packet * 4);
        ByteBuffer s2c = ByteBuffer.allocate(packet * 4);
        ByteBuffer app = ByteBuffer.allocate(packet * 2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            boolean clientDone = isDone(client);
            boolean serverDone = isDone(server);
            if (clientDone && serverDone && c2s.position() == 0 && s2c.position() == 0) {
                return;
            }
            step(client, c2s, s2c, app, empty, false);
            step(server, s2c, c2s, app, empty, true);
        }
        throw new IllegalStateException("handshake did not finish");
    }

    private static boolean isDone(SSLEngine e) {
        SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** One engine: unwrap what the peer sent ({@code in}, write mode), wrap what it wants to send into {@code out}. */
    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app, ByteBuffer empty,
            boolean timed) throws Exception {
        in.flip();
        while (true) {
            SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                long t0 = System.nanoTime();
                Runnable r;
                while ((r = e.getDelegatedTask()) != null) {
                    r.run();
                }
                if (timed) {
                    taskNs += System.nanoTime() - t0;
                }
            } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                long t0 = System.nanoTime();
                e.wrap(empty, out);
                if (timed) {
                    engineNs += System.nanoTime() - t0;
                }
            } else if ((hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP
                    || hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN) && in.hasRemaining()) {
                app.clear();
                long t0 = System.nanoTime();
                SSLEngineResult r = e.unwrap(in, app);
                if (timed) {
                    engineNs += System.nanoTime() - t0;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
            } else if (hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && in.hasRemaining()) {
                app.clear();
                long t0 = System.nanoTime();
                e.unwrap(in, app); // e.g. a TLS 1.3 NewSessionTicket after the handshake
                if (timed) {
                    engineNs += System.nanoTime() - t0;
                }
            } else {
                break;
            }
        }
        in.compact();
    }
}
