package dev.engineionio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.TestPki;
import dev.engineionio.TlsContext;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS filter of the driver with the line test protocol and a client that controls every byte ({@link TlsClient}):
 * echo and an idle connection without buffers, close_notify both ways, truncation, the handshake timeout, plain HTTP,
 * garbage, a ClientHello in one-byte segments, oversized and flooding records, renegotiation, water marks. Keys are
 * made at test time; time-dependent behaviour runs on the fake clock; waits are failure guards only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsDriverTest {

    private static TlsContext tls;
    private static SSLContext client;

    @BeforeAll
    static void keys() throws Exception {
        TestPki pki = TestPki.get();
        tls = TlsContext.fromPkcs12(pki.serverStore("ec", "EC"), TestPki.PASSWORD);
        client = pki.clientContext();
    }

    private static TestServer server(long headerTimeoutNs, Consumer<DriverConfig.Builder> tweak) throws Exception {
        return new TestServer(headerTimeoutNs, b -> {
            b.listenTls(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls::newServerEngine);
            tweak.accept(b);
        });
    }

    private static InetSocketAddress tlsAddress(TestServer s) {
        return s.driver.boundAddresses().get(1);
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    private static Connection nextOpened(TestServer s) throws InterruptedException {
        Connection c = s.opened.poll(20, TimeUnit.SECONDS);
        assertNotNull(c, "connection not opened");
        return c;
    }

    private static CloseCause nextClose(TestServer s) throws InterruptedException {
        CloseCause c = s.closes.poll(20, TimeUnit.SECONDS);
        assertNotNull(c, "no onClose");
        return c;
    }

    @Test
    void echoesOverTlsAndAnIdleConnectionHoldsNoBuffer() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.handshake();
            Connection conn = nextOpened(s);
            c.send("hello\nsplit ");
            assertEquals("hello", c.readLine());
            assertTrue(onLoop(conn.loop(), conn::isTls));
            c.send("line\n");
            assertEquals("split line", c.readLine());
            assertFalse(onLoop(conn.loop(), conn::holdsBuffer), "an idle TLS connection holds a buffer");
            assertEquals("TLSv1.3", c.engine.getSession().getProtocol());
        }
    }

    @Test
    void peerCloseNotifyIsEofAndTheServerAnswersWithItsOwn() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.handshake();
            c.send("x\n");
            assertEquals("x", c.readLine());
            c.closeNotify();
            assertEquals("EOF", c.readLine()); // LineHandler answers EOF at onEof, then closes after flush
            assertNull(c.readLine());
            assertTrue(c.closeNotifyReceived, "the server closed without close_notify");
            assertEquals(CloseCause.GRACEFUL, nextClose(s));
        }
    }

    @Test
    void serverCloseSendsCloseNotify() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s), "TLSv1.2")) {
            c.handshake();
            c.send("bye\nCLOSE\n");
            assertEquals("bye", c.readLine());
            assertNull(c.readLine());
            assertTrue(c.closeNotifyReceived, "no close_notify before the end");
            c.closeNotify();
            c.close();
            assertEquals(CloseCause.GRACEFUL, nextClose(s));
        }
    }

    @Test
    void eofWithoutCloseNotifyIsATransportError() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.handshake();
            Connection conn = nextOpened(s);
            c.send("x\n");
            assertEquals("x", c.readLine());
            c.socket.shutdownOutput(); // TCP FIN, no close_notify
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
            assertTrue(conn.closeError() instanceof javax.net.ssl.SSLException, String.valueOf(conn.closeError()));
            assertTrue(conn.closeError().getMessage().contains("close_notify"));
        }
    }

    @Test
    void handshakeNotCompleteWithinTheTimeoutIsClosedWhereverTheClientStopped() throws Exception {
        try (TestServer s = server(0, b -> b.tlsHandshakeTimeout(Duration.ofSeconds(10)));
                TlsClient stalled = new TlsClient(client, tlsAddress(s));
                TlsClient silent = new TlsClient(client, tlsAddress(s));
                TlsClient afterHello = new TlsClient(client, tlsAddress(s))) {
            // the stalled client sends half of its ClientHello and stops
            stalled.engine.beginHandshake();
            ByteBuffer hello = ByteBuffer.allocate(stalled.engine.getSession().getPacketBufferSize());
            stalled.engine.wrap(ByteBuffer.allocate(0), hello);
            hello.flip();
            stalled.writeRaw(hello.array(), 0, hello.limit() / 2);
            // this one sends its whole ClientHello, gets the server's flight and never finishes
            afterHello.engine.beginHandshake();
            ByteBuffer whole = ByteBuffer.allocate(afterHello.engine.getSession().getPacketBufferSize());
            afterHello.engine.wrap(ByteBuffer.allocate(0), whole);
            whole.flip();
            afterHello.writeRaw(whole.array(), 0, whole.limit());
            assertTrue(afterHello.socket.getInputStream().read() == 0x16, "no ServerHello");
            Connection a = nextOpened(s);
            Connection b = nextOpened(s);
            Connection third = nextOpened(s);
            int retained = 0;
            Connection stalledConn = null;
            for (int i = 0; i < 10_000 && retained == 0; i++) {
                for (Connection c : new Connection[] {a, b, third}) {
                    if (onLoop(c.loop(), c::holdsBuffer)) {
                        retained = 1;
                        stalledConn = c;
                    }
                }
            }
            assertNotNull(stalledConn, "the half ClientHello was never read");
            s.clock.advance(9, TimeUnit.SECONDS);
            s.wakeAll();
            Connection check = stalledConn;
            assertTrue(onLoop(check.loop(), check::isOpen), "closed before the timeout");
            s.clock.advance(2, TimeUnit.SECONDS);
            s.wakeAll();
            assertEquals(0, stalled.readRawToEof().length);
            assertEquals(0, silent.readRawToEof().length);
            afterHello.readRawToEof();
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
            assertTrue(a.closeError() instanceof javax.net.ssl.SSLHandshakeException);
            assertFalse(onLoop(a.loop(), a::holdsBuffer), "a closed connection holds a buffer");
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsA400InClearText() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            byte[] req = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            c.writeRaw(req, 0, req.length);
            String answer = new String(c.readRawToEof(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\nThe plain HTTP request was sent to HTTPS port\n"), answer);
            c.socket.shutdownOutput();
            assertEquals(CloseCause.GRACEFUL, nextClose(s));
        }
    }

    @Test
    void garbageIsAnsweredWithAnAlertAndClosed() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            byte[] junk = new byte[64];
            junk[0] = 0x16; // a handshake record header...
            junk[1] = 0x03;
            junk[2] = 0x03;
            junk[4] = 59; // ...of 59 bytes that are no ClientHello
            for (int i = 5; i < junk.length; i++) {
                junk[i] = (byte) (i * 37);
            }
            c.writeRaw(junk, 0, junk.length);
            assertAlertThenEof(c.readRawToEof());
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
        }
    }

    /** A TLS alert record (content type 21), whatever follows it, then the end of the stream. */
    private static void assertAlertThenEof(byte[] raw) {
        assertTrue(raw.length >= 7, "no alert record: " + raw.length + " bytes");
        assertEquals(21, raw[0], "not an alert record");
    }

    @Test
    void clientHelloInOneByteSegmentsCompletesTheHandshake() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.segment = 1;
            c.handshake();
            c.send("one byte at a time\n");
            assertEquals("one byte at a time", c.readLine());
        }
    }

    @Test
    void oversizedRecordIsAnsweredWithAnAlertAndClosed() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            int len = 18 * 1024; // above the largest TLS record (2^14 + 2048)
            byte[] rec = new byte[5 + len];
            rec[0] = 0x16;
            rec[1] = 0x03;
            rec[2] = 0x03;
            rec[3] = (byte) (len >> 8);
            rec[4] = (byte) len;
            c.writeRaw(rec, 0, 5);
            assertAlertThenEof(c.readRawToEof());
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
        }
    }

    @Test
    void oversizedRecordAfterTheHandshakeIsAnsweredWithAnAlertAndClosed() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.handshake();
            c.send("ok\n");
            assertEquals("ok", c.readLine());
            byte[] head = {0x17, 0x03, 0x03, (byte) 0xff, (byte) 0xff};
            c.writeRaw(head, 0, head.length);
            // TLS 1.3 encrypts alerts: the client's engine reads it
            javax.net.ssl.SSLException alert = org.junit.jupiter.api.Assertions.assertThrows(
                    javax.net.ssl.SSLException.class, c::readLine);
            assertTrue(alert.getMessage().contains("Received fatal alert"), alert.getMessage());
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
        }
    }

    @Test
    void floodOfChangeCipherSpecRecordsBeforeTheHandshakeIsRefused() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) {
                flood.writeBytes(new byte[] {0x14, 0x03, 0x03, 0x00, 0x01, 0x01});
            }
            try {
                c.writeRaw(flood.toByteArray(), 0, flood.size());
            } catch (java.io.IOException reset) {
                // the server may have closed before the whole flood was written
            }
            byte[] raw = c.readRawToEof();
            assertTrue(raw.length == 0 || raw[0] == 21, "neither an alert nor a close");
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
        }
    }

    @Test
    void floodOfOneByteRecordsIsServedInOrder() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.handshake();
            Connection conn = nextOpened(s);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                lines.append("line ").append(i).append('\n');
            }
            c.sendByteRecords(lines.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 300; i++) {
                assertEquals("line " + i, c.readLine());
            }
            assertFalse(onLoop(conn.loop(), conn::holdsBuffer));
        }
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        try (TestServer s = server(0, b -> { });
                TlsClient c = new TlsClient(client, tlsAddress(s), "TLSv1.2")) {
            c.handshake();
            c.send("before\n");
            assertEquals("before", c.readLine());
            try {
                c.handshake(); // beginHandshake again: a renegotiation
            } catch (java.io.IOException expected) {
                // the server closed during it
            }
            assertEquals(CloseCause.IO_ERROR, nextClose(s));
        }
    }

    @Test
    void waterMarksHoldOnTheEncryptedSide() throws Exception {
        long high = 64 * 1024;
        try (TestServer s = server(0, b -> b.writeWaterMarks(16 * 1024, high));
                TlsClient c = new TlsClient(client, tlsAddress(s))) {
            c.handshake();
            long total = 4L * 1024 * 1024;
            c.send("FLOOD " + total + "\nCLOSE\n");
            assertEquals(total, c.drainToEnd());
            assertTrue(s.maxQueued.get() <= high + 16 * 1024, "queued " + s.maxQueued.get());
            assertTrue(s.writableEvents.get() > 0, "onWritable never called");
        }
    }

    @Test
    void outputWrittenBeforeTheHandshakeEndsIsSentAfterIt() throws Exception {
        DriverConfig config = DriverConfig.builder()
                .listenTls(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls::newServerEngine)
                .loops(1)
                .build();
        ConnectionHandler greeter = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c, long nowNs) {
                c.write(ByteBuffer.wrap("welcome\n".getBytes(StandardCharsets.US_ASCII)));
            }

            @Override
            public void onRead(Connection c, ByteBuffer src, long nowNs) {
                c.writeCopy(src);
            }
        };
        try (NioDriver d = new NioDriver(config, c -> greeter).start();
                TlsClient c = new TlsClient(client, d.boundAddresses().get(0))) {
            c.handshake();
            assertEquals("welcome", c.readLine());
            c.send("echo\n");
            assertEquals("echo", c.readLine());
        }
    }

    @Test
    void movedTlsConnectionKeepsItsSessionAndTheRecordsBehindTheMove() throws Exception {
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        NioDriver[] holder = new NioDriver[1];
        DriverConfig config = DriverConfig.builder()
                .listenTls(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls::newServerEngine)
                .loops(2)
                .build();
        try (NioDriver d = new NioDriver(config, c -> new TransferTest.MovingHandler(events, holder))) {
            holder[0] = d;
            d.start();
            try (TlsClient c = new TlsClient(client, d.boundAddresses().get(0))) {
                c.handshake();
                // one record with MOVE and a line behind it, then two more records: all in one TCP segment
                java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
                for (String rec : new String[] {"MOVE\nafter\n", "again\n", "more\n"}) {
                    ByteBuffer out = ByteBuffer.allocate(c.engine.getSession().getPacketBufferSize());
                    c.engine.wrap(ByteBuffer.wrap(rec.getBytes(StandardCharsets.US_ASCII)), out);
                    wire.write(out.array(), 0, out.position());
                }
                c.writeRaw(wire.toByteArray(), 0, wire.size());
                String from = events.poll(20, TimeUnit.SECONDS);
                assertNotNull(from);
                int to = 1 - Integer.parseInt(from.split(" ")[1]);
                assertEquals("moving", c.readLine());
                assertTrue(c.readLine().startsWith(to + ":after:"));
                assertTrue(c.readLine().startsWith(to + ":again:"));
                assertTrue(c.readLine().startsWith(to + ":more:"));
                c.send("later\n");
                assertTrue(c.readLine().startsWith(to + ":later:"));
            }
        }
    }
}
