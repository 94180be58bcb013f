package dev.engineionio.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's behaviour packet by packet, with a raw WebSocket client: middlewares finishing on other threads,
 * refusals with data, acknowledgements and their timeout, calls from foreign threads, rooms emptied on disconnect,
 * disconnect reasons, a parse error. Waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoServerTest {

    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private SocketIoServer io;

    private SocketIoServer start() throws Exception {
        io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", 0)).build();
        return io;
    }

    @AfterEach
    void stop() {
        other.shutdownNow();
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

    @Test
    void middlewaresRunInOrderAndMayFinishOnAnotherThread() throws Exception {
        start();
        io.of("/").use((socket, next) -> {
            events.add("first on " + Thread.currentThread().getName().startsWith("engineio-loop-"));
            other.execute(next::proceed);
        }).use((socket, next) -> {
            events.add("second on " + Thread.currentThread().getName().startsWith("engineio-loop-"));
            next.proceed();
        }).onConnection(s -> events.add("connection " + s.handshake().auth()));
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            String connect = c.connect("/", "{\"k\":[1]}");
            assertTrue(connect.matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}"), connect);
            assertEquals("first on true", event());
            assertEquals("second on true", event()); // back on the loop although next ran elsewhere
            assertEquals("connection {k=[1]}", event());
        }
    }

    @Test
    void middlewareRefusalCarriesMessageAndDataAndEmitsNoConnection() throws Exception {
        start();
        io.of("/admin").use((socket, next) -> other.execute(() -> next.fail("nope", Map.of("retry", false))))
                .onConnection(s -> events.add("connection"));
        io.of("/thrower").use((socket, next) -> {
            throw new IllegalStateException("broken middleware");
        });
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            assertEquals("44/admin,{\"message\":\"nope\",\"data\":{\"retry\":false}}", c.connect("/admin", null));
            assertEquals("44/thrower,{\"message\":\"broken middleware\"}", c.connect("/thrower", null));
            // the connection lives on: "/" still connects
            assertTrue(c.connect("/", null).startsWith("40{\"sid\""));
            assertTrue(events.isEmpty());
            assertEquals(0, io.of("/admin").sockets().size());
        }
    }

    @Test
    void acknowledgementsBothWaysAndTheTimeout() throws Exception {
        start();
        CompletableFuture<SocketIoSocket> socketF = new CompletableFuture<>();
        io.onConnection(s -> {
            s.on("add", (args, ack) -> ack.send(((Number) args.get(0)).longValue() + ((Number) args.get(1)).longValue()));
            socketF.complete(s);
        });
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            SocketIoSocket s = socketF.get(20, TimeUnit.SECONDS);
            c.send("23[\"add\",2,40]");
            assertEquals("433[42]", c.text());

            CompletableFuture<List<Object>> answered = s.emitWithAck(Duration.ofSeconds(30), "q", "x");
            assertEquals("420[\"q\",\"x\"]", c.text());
            c.send("30[\"y\",{\"z\":null}]");
            assertEquals(List.of("y", java.util.Collections.singletonMap("z", null)),
                    answered.get(20, TimeUnit.SECONDS));

            CompletableFuture<List<Object>> unanswered = s.emitWithAck(Duration.ofMillis(50), "q2");
            assertEquals("421[\"q2\"]", c.text());
            ExecutionException e = assertThrows(ExecutionException.class, () -> unanswered.get(20, TimeUnit.SECONDS));
            assertInstanceOf(AckTimeoutException.class, e.getCause());
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertEquals("operation has timed out", e.getCause().getMessage());
            c.send("31[\"late\"]"); // a late ack is ignored, the connection lives
            c.send("2[\"add\",1,1]");
            c.send("24[\"add\",1,1]");
            assertEquals("434[2]", c.text());
        }
    }

    @Test
    void socketMiddlewaresRunAfterAnyListenersAndMayDropAnEvent() throws Exception {
        start();
        io.onConnection(s -> {
            s.onAny((event, args, ack) -> events.add("any " + event));
            s.use((event, args, next) -> {
                events.add("use " + event);
                if (event.equals("forbidden")) {
                    other.execute(() -> next.fail("forbidden event", null));
                } else {
                    args.add("tagged");
                    other.execute(next::proceed);
                }
            });
            s.onError(m -> events.add("error " + m));
            s.on("ok", (args, ack) -> events.add("ok " + args));
            s.on("forbidden", (args, ack) -> events.add("forbidden listener ran"));
        });
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            c.send("2[\"forbidden\"]");
            assertEquals("any forbidden", event());
            assertEquals("use forbidden", event());
            assertEquals("error forbidden event", event());
            c.send("2[\"ok\",1]");
            assertEquals("any ok", event());
            assertEquals("use ok", event());
            assertEquals("ok [1, tagged]", event());
            assertTrue(events.isEmpty());
        }
    }

    @Test
    void broadcastAcknowledgementsAreCollectedFromEveryRecipient() throws Exception {
        start();
        java.util.concurrent.CountDownLatch two = new java.util.concurrent.CountDownLatch(2);
        io.onConnection(s -> {
            s.join("r");
            two.countDown();
        });
        io.start();
        try (WsSioClient a = new WsSioClient(io.port()); WsSioClient b = new WsSioClient(io.port())) {
            a.connect("/", null);
            b.connect("/", null);
            assertTrue(two.await(20, TimeUnit.SECONDS));

            CompletableFuture<List<Object>> all = io.to("r").emitWithAck(Duration.ofSeconds(30), "vote", 1);
            assertEquals("420[\"vote\",1]", a.text()); // one ack id for every recipient
            assertEquals("420[\"vote\",1]", b.text());
            a.send("30[\"yes\",\"ignored\"]");
            b.send("30[{\"n\":2}]");
            List<Object> responses = all.get(20, TimeUnit.SECONDS);
            assertEquals(2, responses.size());
            assertTrue(responses.contains("yes") && responses.contains(Map.of("n", 2L)), responses.toString());

            CompletableFuture<List<Object>> partial = io.to("r").emitWithAck(Duration.ofMillis(50), "vote", 2);
            assertEquals("421[\"vote\",2]", a.text());
            assertEquals("421[\"vote\",2]", b.text());
            a.send("31[\"only a\"]");
            ExecutionException e = assertThrows(ExecutionException.class, () -> partial.get(20, TimeUnit.SECONDS));
            AckTimeoutException t = assertInstanceOf(AckTimeoutException.class, e.getCause());
            assertEquals("operation has timed out", t.getMessage());
            assertEquals(List.of("only a"), t.responses());

            assertEquals(List.of(), io.to("nobody").emitWithAck(Duration.ofSeconds(30), "vote", 3)
                    .get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void binaryArgumentsBothWays() throws Exception {
        start();
        io.onConnection(s -> s.on("bin", (args, ack) -> {
            events.add(args);
            ack.send(Map.of("back", args.get(1)));
        }));
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            c.send("51-5[\"bin\",\"t\",{\"_placeholder\":true,\"num\":0}]");
            c.sendBinary(new byte[] {7, 8});
            assertEquals("461-5[{\"back\":{\"_placeholder\":true,\"num\":0}}]", c.text());
            assertArrayEquals(new byte[] {7, 8}, (byte[]) c.next());
            List<?> args = (List<?>) event();
            assertEquals("t", args.get(0));
            assertArrayEquals(new byte[] {7, 8}, (byte[]) args.get(1));
        }
    }

    @Test
    void callsFromAForeignThreadAndDisconnectReasons() throws Exception {
        start();
        CompletableFuture<SocketIoSocket> socketF = new CompletableFuture<>();
        io.onConnection(s -> {
            s.onDisconnecting((r, d) -> events.add("disconnecting " + r + " in " + s.rooms().contains("room")));
            s.onDisconnect((r, d) -> events.add("disconnect " + r));
            socketF.complete(s);
        });
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            SocketIoSocket s = socketF.get(20, TimeUnit.SECONDS);
            other.submit(() -> {
                s.join("room");
                io.to("room").emit("news", 1);
                s.disconnect(false);
            }).get(20, TimeUnit.SECONDS);
            assertEquals("42[\"news\",1]", c.text());
            assertEquals("41", c.text());
            assertEquals("disconnecting server namespace disconnect in true", event());
            assertEquals("disconnect server namespace disconnect", event());
            assertEquals(Set.of(), io.sockets().adapter().rooms());
            assertTrue(io.sockets().sockets().isEmpty());
        }
    }

    @Test
    void clientNamespaceDisconnectAndTransportClose() throws Exception {
        start();
        io.onConnection(s -> s.onDisconnect((r, d) -> events.add(r)));
        io.of("/b").onConnection(s -> s.onDisconnect((r, d) -> events.add("/b " + r)));
        io.start();
        WsSioClient c = new WsSioClient(io.port());
        c.connect("/", null);
        c.connect("/b", null);
        c.send("1");
        assertEquals("client namespace disconnect", event());
        c.close();
        assertEquals("/b transport close", event());
    }

    @Test
    void parseErrorClosesTheConnectionAndTellsTheSocket() throws Exception {
        start();
        io.onConnection(s -> {
            s.onError(m -> events.add("error " + m));
            s.onDisconnect((r, d) -> events.add("disconnect " + r));
        });
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            c.send("2[\"connect\"]");
            assertEquals("error invalid payload", event());
            assertEquals("disconnect forced close", event());
            Object f = c.next();
            while (f != WsSioClient.CLOSED) {
                f = c.next(); // the Engine.IO close packet, then the WebSocket close
            }
        }
    }

    @Test
    void closeDisconnectsEverySocketWithServerShuttingDownAfterWhatItSent() throws Exception {
        start();
        io.onConnection(s -> {
            s.onDisconnect((r, d) -> events.add("disconnect " + r));
            s.on("bye", (args, ack) -> {
                for (int i = 0; i < 100; i++) {
                    s.emit("n", i);
                }
                events.add("sent");
            });
        });
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            c.send("2[\"bye\"]");
            assertEquals("sent", event());
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> io.close(Duration.ofHours(1)), other);
            assertEquals("disconnect server shutting down", event());
            for (int i = 0; i < 100; i++) {
                assertEquals("42[\"n\"," + i + "]", c.text());
            }
            assertEquals(WsSioClient.CLOSED, c.next()); // the WebSocket close: the client sees the transport close
            c.close();
            closed.get(20, TimeUnit.SECONDS); // returned without the hour of grace: everything had closed
        }
    }

    @Test
    void packetForANamespaceNotJoinedClosesWithForcedServerClose() throws Exception {
        start();
        io.onConnection(s -> s.onDisconnect((r, d) -> events.add(r)));
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            c.send("2/other,[\"x\"]");
            assertEquals("forced server close", event());
        }
    }

    @Test
    void reservedEventNamesAreRefusedToTheCaller() throws Exception {
        start();
        CompletableFuture<SocketIoSocket> socketF = new CompletableFuture<>();
        io.onConnection(socketF::complete);
        io.start();
        try (WsSioClient c = new WsSioClient(io.port())) {
            c.connect("/", null);
            SocketIoSocket s = socketF.get(20, TimeUnit.SECONDS);
            for (String name : List.of("connect", "connect_error", "disconnect", "disconnecting", "newListener",
                    "removeListener")) {
                assertThrows(IllegalArgumentException.class, () -> s.emit(name));
                assertThrows(IllegalArgumentException.class, () -> io.emit(name));
            }
            assertThrows(JsonException.class, () -> s.emit("x", new Object()));
        }
    }

    @Test
    void broadcastReachesTheRoomsLessTheExceptRoomsAndTheSender() throws Exception {
        start();
        java.util.concurrent.CopyOnWriteArrayList<SocketIoSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
        io.onConnection(s -> {
            sockets.add(s);
            three.countDown();
        });
        io.start();
        try (WsSioClient a = new WsSioClient(io.port()); WsSioClient bb = new WsSioClient(io.port());
             WsSioClient cc = new WsSioClient(io.port())) {
            a.connect("/", null);
            bb.connect("/", null);
            cc.connect("/", null);
            assertTrue(three.await(20, TimeUnit.SECONDS));
            SocketIoSocket sa = sockets.get(0);
            SocketIoSocket sb = sockets.get(1);
            SocketIoSocket sc = sockets.get(2);
            sb.join("r1");
            sc.join("r1");
            sc.join("r2");
            io.to("r1").except("r2").emit("m", 1);
            assertEquals("42[\"m\",1]", bb.text());
            sa.to("r1").emit("m", 2);
            assertEquals("42[\"m\",2]", bb.text());
            assertEquals("42[\"m\",2]", cc.text());
            sb.broadcast().emit("m", 3);
            assertEquals("42[\"m\",3]", a.text());
            assertEquals("42[\"m\",3]", cc.text());
            io.emit("m", 4);
            assertEquals("42[\"m\",4]", a.text());
            assertEquals("42[\"m\",4]", bb.text());
            assertEquals("42[\"m\",4]", cc.text());
            assertEquals(List.of(sc), io.sockets().in("r2").fetchSockets());
            assertSame(sc, io.sockets().sockets().get(sc.id()));
        }
    }
}
