package dev.engineionio.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import dev.engineionio.EngineSocket;
import dev.engineionio.RawClient;
import dev.engineionio.TestClocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection-state recovery packet by packet (raw WebSocket client, fake clock): the CONNECT carries a pid, kept
 * broadcasts carry an offset, a client that comes back with both in time gets its id, rooms, data and the missed
 * packets (not the volatile ones, not those of other rooms) before its CONNECT, without the middlewares; after
 * {@code maxDisconnectionDuration} of the server's clock it gets a fresh socket. Also the flags: volatile dropped when
 * the transport cannot take a write, compress and local carried to the adapter. Waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoRecoveryTest {

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private SocketIoServer io;

    @AfterEach
    void stop() {
        if (io != null) {
            io.close();
        }
    }

    private Object event() throws InterruptedException {
        Object e = events.poll(20, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within the guard");
        }
        return e;
    }

    private SocketIoServer recoveryServer(boolean skipMiddlewares, AtomicInteger middlewareCalls) throws Exception {
        io = SocketIoServer.builder(TestClocks.fake(EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                                .pingInterval(Duration.ofSeconds(1000)).pingTimeout(Duration.ofSeconds(1000)), clockNs))
                .connectionStateRecovery(Duration.ofSeconds(10), skipMiddlewares)
                .build();
        io.use((socket, next) -> {
            middlewareCalls.incrementAndGet();
            next.proceed();
        });
        io.onConnection(s -> {
            events.add(s);
            if (!s.recovered()) {
                s.join("room1");
                s.data("the data");
                s.emit("hello");
            }
            s.onDisconnect((reason, d) -> {
                events.add("disconnect " + reason);
                // a marker timed after every expiry of this socket's state (same loop, later deadline)
                s.conn().schedule(Duration.ofMillis(10_001), () -> events.add("past the window"));
            });
        });
        io.start();
        return io;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> connectPayload(String packet) {
        assertTrue(packet.startsWith("40{"), packet);
        return (Map<String, Object>) Json.parse(packet.substring(2));
    }

    /** The offset: the last argument of a kept event. */
    private static String offset(String packet) {
        List<Object> args = (List<Object>) Json.parse(packet.substring(2));
        return (String) args.get(args.size() - 1);
    }

    @Test
    void aClientBackInTimeGetsItsIdRoomsDataAndMissedPacketsWithoutMiddlewares() throws Exception {
        AtomicInteger middlewareCalls = new AtomicInteger();
        recoveryServer(true, middlewareCalls);
        String sid;
        String pid;
        String offset;
        try (WsSioClient c = new WsSioClient(io.port())) {
            Map<String, Object> connect = connectPayload(c.connect("/", null));
            sid = (String) connect.get("sid");
            pid = (String) connect.get("pid");
            assertEquals(20, pid.length());
            assertNotEquals(sid, pid);
            SocketIoSocket first = (SocketIoSocket) event();
            assertFalse(first.recovered());
            String hello = c.text();
            assertTrue(hello.startsWith("42[\"hello\",\""), hello); // an emit is kept: its offset comes last
            offset = offset(hello);
        }
        assertEquals("disconnect transport close", event());

        Namespace root = io.of("/");
        root.to("room1").emit("news", 1);
        root.to("elsewhere").emit("not for you");
        root.to("room1").volatileFlag().emit("volatile");
        root.except("room1").emit("excluded");
        root.emit("all", 2);
        SessionAwareAdapter adapter = (SessionAwareAdapter) root.adapter();
        assertEquals(1, adapter.keptSessions());
        assertEquals(5, adapter.keptPackets()); // hello, news, not for you, excluded, all (not the volatile one)

        try (WsSioClient c = new WsSioClient(io.port())) {
            c.send("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
            String news = c.text();
            assertTrue(news.startsWith("42[\"news\",1,\""), news);
            String all = c.text();
            assertTrue(all.startsWith("42[\"all\",2,\""), all);
            assertEquals(Map.of("sid", sid, "pid", pid), connectPayload(c.text()));
            SocketIoSocket back = (SocketIoSocket) event();
            assertTrue(back.recovered());
            assertEquals(sid, back.id());
            assertEquals(Set.of(sid, "room1"), back.rooms());
            assertEquals("the data", back.data());
            assertEquals(1, middlewareCalls.get()); // skipMiddlewares

            // a second recovery from the same state, later offset: only what came after it
            root.to("room1").emit("live", 3);
            String live = c.text();
            assertTrue(live.startsWith("42[\"live\",3,\""), live);
        }
    }

    @Test
    void aRecoveredSocketRunsTheMiddlewaresWhenNotSkipped() throws Exception {
        AtomicInteger middlewareCalls = new AtomicInteger();
        recoveryServer(false, middlewareCalls);
        String pid;
        String offset;
        try (WsSioClient c = new WsSioClient(io.port())) {
            pid = (String) connectPayload(c.connect("/", null)).get("pid");
            event();
            offset = offset(c.text());
        }
        assertEquals("disconnect transport close", event());
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.send("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
            connectPayload(c.text());
            assertTrue(((SocketIoSocket) event()).recovered());
            assertEquals(2, middlewareCalls.get());
        }
    }

    @Test
    void pastMaxDisconnectionDurationTheClientGetsAFreshSocket() throws Exception {
        AtomicInteger middlewareCalls = new AtomicInteger();
        recoveryServer(true, middlewareCalls);
        String sid;
        String pid;
        String offset;
        try (WsSioClient c = new WsSioClient(io.port())) {
            Map<String, Object> connect = connectPayload(c.connect("/", null));
            sid = (String) connect.get("sid");
            pid = (String) connect.get("pid");
            event();
            offset = offset(c.text());
        }
        assertEquals("disconnect transport close", event());
        SessionAwareAdapter adapter = (SessionAwareAdapter) io.of("/").adapter();
        assertEquals(1, adapter.keptSessions());

        clockNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(10_002));
        TestClocks.wake(io.engine());
        assertEquals("past the window", event());
        assertEquals(0, adapter.keptSessions());
        assertEquals(0, adapter.keptPackets());

        try (WsSioClient c = new WsSioClient(io.port())) {
            c.send("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
            Map<String, Object> connect = connectPayload(c.text());
            assertNotEquals(sid, connect.get("sid"));
            assertNotEquals(pid, connect.get("pid"));
            assertFalse(((SocketIoSocket) event()).recovered());
            assertEquals(2, middlewareCalls.get());
        }
    }

    @Test
    void anUnknownPidOrOffsetGivesAFreshSocket() throws Exception {
        recoveryServer(true, new AtomicInteger());
        String pid;
        try (WsSioClient c = new WsSioClient(io.port())) {
            pid = (String) connectPayload(c.connect("/", null)).get("pid");
            event();
            c.text();
        }
        assertEquals("disconnect transport close", event());
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.send("0{\"pid\":\"" + pid + "\",\"offset\":\"no such offset\"}");
            connectPayload(c.text());
            assertFalse(((SocketIoSocket) event()).recovered());
            assertTrue(c.text().startsWith("42[\"hello\""));
            c.send("0/x,{\"pid\":\"unknown\",\"offset\":\"x\"}");
            assertTrue(c.text().startsWith("44/x,"));
        }
    }

    @Test
    void aServerDisconnectIsNotRecoverable() throws Exception {
        recoveryServer(true, new AtomicInteger());
        try (WsSioClient c = new WsSioClient(io.port())) {
            connectPayload(c.connect("/", null));
            SocketIoSocket s = (SocketIoSocket) event();
            c.text();
            s.disconnect(false);
            assertEquals("41", c.text());
            assertEquals("disconnect server namespace disconnect", event());
            assertEquals(0, ((SessionAwareAdapter) io.of("/").adapter()).keptSessions());
        }
    }

    @Test
    void aVolatileEmitIsDroppedWhileTheTransportCannotTakeAWrite() throws Exception {
        CompletableFuture<SocketIoSocket> socketF = new CompletableFuture<>();
        io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", 0)
                        .pingInterval(Duration.ofSeconds(1000)).pingTimeout(Duration.ofSeconds(1000)))
                .build();
        io.onConnection(socketF::complete);
        io.start();
        try (RawClient c = new RawClient(io.port())) {
            String open = c.get("/socket.io/?EIO=4&transport=polling").text();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"", open.indexOf("\"sid\":\"") + 7));
            String target = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
            assertEquals("ok", c.post(target, "40").text());
            SocketIoSocket s = socketF.get(20, TimeUnit.SECONDS);
            // no GET waiting: the polling transport cannot take a write
            CompletableFuture<Boolean> writable = new CompletableFuture<>();
            s.conn().execute(() -> writable.complete(s.conn().isWritable()));
            assertFalse(writable.get(20, TimeUnit.SECONDS));
            s.conn().execute(() -> {
                s.volatileFlag().emit("dropped", 1);
                io.of("/").volatileFlag().emit("dropped too");
                s.compress(false).emit("kept", 2);
                events.add("emitted");
            });
            assertEquals("emitted", event());
            String body = c.get(target).text();
            assertTrue(body.startsWith("40{\"sid\":\""), body);
            assertTrue(body.endsWith("\u001e42[\"kept\",2]"), body);
            assertFalse(body.contains("dropped"), body);
        }
    }

    @Test
    void aVolatileEmitGoesOutWhenTheTransportCanTakeIt() throws Exception {
        CompletableFuture<SocketIoSocket> socketF = new CompletableFuture<>();
        io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", 0)).build();
        io.onConnection(socketF::complete);
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            SocketIoSocket s = socketF.get(20, TimeUnit.SECONDS);
            CompletableFuture<Boolean> writable = new CompletableFuture<>();
            s.conn().execute(() -> writable.complete(s.conn().isWritable()));
            assertTrue(writable.get(20, TimeUnit.SECONDS)); // a WebSocket at rest
            s.volatileFlag().emit("v", 1);
            assertEquals("42[\"v\",1]", c.text());
        }
    }

    @Test
    void theFlagsReachTheAdapter() throws Exception {
        List<BroadcastOptions> seen = new ArrayList<>();
        io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", 0))
                .adapter(nsp -> new InMemoryAdapter(nsp) {
                    @Override
                    public void broadcast(SocketIoPacket packet, BroadcastOptions opts) {
                        synchronized (seen) {
                            seen.add(opts);
                        }
                        super.broadcast(packet, opts);
                    }
                })
                .build();
        io.start();
        io.of("/").to("r").local().compress(false).volatileFlag().emit("e");
        io.of("/").emit("plain");
        synchronized (seen) {
            assertEquals(new BroadcastOptions(Set.of("r"), Set.of(), true, false, true), seen.get(0));
            assertEquals(new BroadcastOptions(Set.of(), Set.of(), false, true, false), seen.get(1));
        }
    }
}
