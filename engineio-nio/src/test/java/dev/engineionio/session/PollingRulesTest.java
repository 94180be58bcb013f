package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollingRulesTest {
    private static final EngineConfig CONFIG = EngineConfig.builder().allowEIO3(true).build();

    @Test
    void heldGetIsAnsweredWithEverythingQueuedAsOneBatch() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.session.send("a", true, 0);
        h.session.send(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), true, 0);
        h.session.send("é€😀", true, 0);
        h.get();
        h.rec.expect("GET2 200 4a\u001ebAQIDBA==\u001e4é€😀");
        h.get();
        h.rec.expect();
        assertTrue(h.polling.hasPendingGet());
        h.session.send("later", true, 0);
        h.rec.expect("GET3 200 4later");
        assertFalse(h.polling.isWritable());
    }

    @Test
    void postIsAnsweredOkAfterItsPacketsAreDelivered() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.post("4hello", "4", "4é");
        h.rec.expect("message hello", "message ", "message é", "POST1 ok");
        Recorder.Post p = h.rec.new Post("BIN");
        h.polling.onPostRequest(p, false, 0);
        h.polling.onPostPacket(p, PacketType.MESSAGE, null, ByteBuffer.wrap(new byte[] {1, 2}), 0);
        h.polling.onPostEnd(p, 0);
        h.rec.expect("binary 2", "BIN ok");
    }

    @Test
    void secondConcurrentGetClosesTheSessionAnsweringTheFirstWithCloseAndTheSecondWith400() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.get();
        h.get();
        h.rec.expect("GET2 200 1", "close transport error / overlap from client", "GET3 400");
        assertNull(h.registry.get(Harness.SID));
        assertEquals(0, h.registry.size());
    }

    @Test
    void secondConcurrentPostClosesTheSessionAbortingTheFirst() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.startPost();
        h.post("4x");
        h.rec.expect("POST1 abort", "close transport error / data request overlap from client", "POST2 400");
    }

    @Test
    void v4BinaryContentTypeIsInvalidContent() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        Recorder.Post p = h.rec.new Post("POST1");
        assertFalse(h.polling.onPostRequest(p, true, 0));
        h.rec.expect("close transport error / invalid content", "POST1 400");
    }

    @Test
    void v3AcceptsBinaryPayloads() {
        Harness h = new Harness(CONFIG).pollingSession(3);
        Recorder.Post p = h.rec.new Post("POST1");
        assertTrue(h.polling.onPostRequest(p, true, 0));
        h.polling.onPostPacket(p, PacketType.MESSAGE, null, ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
        h.polling.onPostEnd(p, 0);
        h.rec.expect("binary 3", "POST1 ok");
    }

    @Test
    void oversizedPostGets413AndTheSessionLives() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        Recorder.Post p = h.startPost();
        h.polling.onPostBodyTooLarge(p, 0);
        h.rec.expect("POST1 413");
        assertFalse(h.polling.hasPendingPost());
        h.session.send("still-alive?", true, 0);
        h.get();
        h.rec.expect("GET2 200 4still-alive?");
        h.post("4next");
        h.rec.expect("message next", "POST2 ok");
    }

    @Test
    void heldGetWhoseConnectionClosesIsATransportError() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        Recorder.Poll g = h.get();
        h.polling.onPollConnectionClosed(g, 0);
        h.rec.expect("close transport error / poll connection closed prematurely");
        assertTrue(!g.answered);
    }

    @Test
    void closedConnectionOfAnAnsweredGetIsNotAnError() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        Recorder.Poll g = h.get();
        h.session.send("x", true, 0);
        h.polling.onPollConnectionClosed(g, 0);
        h.rec.expect("GET2 200 4x");
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void postWhoseConnectionClosesBeforeItsBodyEndsIsATransportError() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        Recorder.Post p = h.startPost();
        h.polling.onPostConnectionClosed(p, 0);
        h.rec.expect("close transport error / data request connection closed prematurely");
    }

    @Test
    void decodeErrorDeliversEarlierPacketsThenClosesWithParseErrorAndStillAnswersOk() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.get();
        h.post("4a", null, "4b");
        h.rec.expect("message a", "GET2 200 1", "close parse error", "POST1 ok");
    }

    @Test
    void closePacketInAPostClosesTheTransportAndDropsTheRestOfThePayload() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.post("4a", "1", "4b");
        h.rec.expect("message a", "close transport close", "POST1 ok");
        assertNull(h.registry.get(Harness.SID));
    }

    @Test
    void closePacketWithGetHeldReleasesItWithNoop() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.get();
        h.post("1");
        h.rec.expect("GET2 200 6", "close transport close", "POST1 ok");
    }

    @Test
    void sessionClosingWhilePostBodyStreamsAbortsIt() {
        EngineConfig c = EngineConfig.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
                .build();
        Harness h = new Harness(c).pollingSession(4);
        h.startPost();
        h.advanceTo(500);
        h.rec.expect("POST1 abort", "close ping timeout");
    }

    @Test
    void getForATransportThatIsNotCurrentIsMisuse() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.ws(ws, "5");
        assertThrows(IllegalStateException.class, () -> h.get());
        assertThrows(IllegalStateException.class, () -> h.startPost());
    }

    @Test
    void postInFlightAtUpgradeIsAbortedAndACompletedOneStillAnswered() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        Recorder.Post p = h.startPost();
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.ws(ws, "5");
        h.rec.expect("WS1 frame 3probe", "upgrading websocket", "POST1 abort", "upgrade websocket");
        h.polling.onPostPacket(p, PacketType.MESSAGE, "late", null, 0); // ignored
        h.polling.onPostEnd(p, 0); // already aborted
        h.rec.expect();
    }

    @Test
    void packetsArriveWhileClosingAreIgnored() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.session.close(false, 0);
        h.post("4ignored", "2");
        h.rec.expect("POST1 ok");
        assertEquals(EngineSession.State.CLOSING, h.session.state());
    }
}
