package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloseTest {
    private static final EngineConfig SLOW = EngineConfig.builder().pingInterval(Duration.ofMinutes(1))
            .pingTimeout(Duration.ofMinutes(1)).build();

    @Test
    void forcedCloseWithGetHeldAnswersItWithClosePacket() {
        Harness h = new Harness(SLOW).pollingSession(4);
        h.get();
        h.session.close(false, 0);
        h.rec.expect("GET2 200 1", "close forced close");
        assertNull(h.registry.get(Harness.SID));
        assertFalse(h.session.send("late", true, 0));
    }

    @Test
    void forcedCloseWithoutGetFlushesBufferedPacketsThenSendsNoopAndClose() {
        Recorder rec = new Recorder(EnumSet.of(Recorder.Ev.DRAIN, Recorder.Ev.CLOSE));
        Harness h = new Harness(SLOW, rec).pollingSession(4);
        h.session.send("buffered-before-close", true, 0);
        h.session.close(false, 0);
        assertEquals(EngineSession.State.CLOSING, h.session.state());
        assertFalse(h.session.send("refused", true, 0));
        rec.expect();
        h.get();
        rec.expect("GET2 200 4buffered-before-close", "drain");
        assertTrue(h.session.isArmed(TimerKind.POLL_CLOSE_TIMEOUT));
        h.get();
        rec.expect("GET3 200 6\u001e1", "close forced close");
        assertFalse(h.session.isArmed(TimerKind.POLL_CLOSE_TIMEOUT));
    }

    @Test
    void forcedCloseWithNothingBufferedAnswersTheNextGetWithNoopAndClose() {
        Harness h = new Harness(SLOW).pollingSession(4);
        h.session.close(false, 0);
        h.rec.expect();
        h.advanceTo(5);
        h.get();
        h.rec.expect("GET2 200 6\u001e1", "close forced close");
    }

    @Test
    void forcedCloseWithoutAnyGetCompletesAfterTheCloseTimeout() {
        Harness h = new Harness(SLOW).pollingSession(4);
        h.advanceTo(1000);
        h.session.close(false, h.nowNs());
        assertEquals(31_000, h.deadlineMs(TimerKind.POLL_CLOSE_TIMEOUT));
        h.advanceTo(30_999);
        h.rec.expect();
        h.advanceTo(31_000);
        h.rec.expect("close forced close");
        assertEquals(EngineSession.NO_DEADLINE, h.nextDeadlineMs());
    }

    @Test
    void discardCloseOfAPollingSessionWithoutGetClosesAtOnce() {
        Harness h = new Harness(SLOW).pollingSession(4);
        h.session.send("lost", true, 0);
        h.session.close(true, 0);
        h.rec.expect("close forced close");
    }

    @Test
    void discardCloseAnswersAHeldGetWithClose() {
        Harness h = new Harness(SLOW).pollingSession(4);
        h.get();
        h.session.close(true, 0);
        h.rec.expect("GET2 200 1", "close forced close");
    }

    @Test
    void forcedCloseOverWebSocketSendsCloseFrameAndNoClosePacket() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.session.close(false, 0);
        h.rec.expect("WS1 close", "close forced close");
        h.currentWs().onClosed(0);
        h.rec.expect();
    }

    @Test
    void forcedCloseOverWebSocketWaitsForBufferedFrames() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.session.send("a", true, 0);
        h.rec.expect("WS1 frame 4a");
        h.session.send("b", true, 0); // send in flight: buffered
        h.session.close(false, 0);
        h.rec.expect();
        h.writable(h.currentWs());
        h.rec.expect("WS1 frame 4b", "WS1 close", "close forced close");
    }

    @Test
    void closePacketOverWebSocketIsIgnored() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.ws(h.currentWs(), "1");
        h.rec.expect();
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void webSocketClosedByThePeerIsTransportClose() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.currentWs().onClosed(0);
        h.rec.expect("close transport close");
        assertNull(h.registry.get(Harness.SID));
    }

    @Test
    void webSocketErrorIsTransportErrorWithItsDescription() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.currentWs().onError("RangeError: Max payload size exceeded", 0);
        h.rec.expect("WS1 close", "close transport error / RangeError: Max payload size exceeded");
        h.currentWs().onClosed(0);
        h.rec.expect();
    }

    @Test
    void webSocketDecodeErrorIsParseError() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.currentWs().onDecodeError(0);
        h.rec.expect("WS1 close", "close parse error");
    }

    @Test
    void webSocketMessagesAndBinaryAreDelivered() {
        Harness h = new Harness(SLOW);
        h.webSocketSession(4);
        h.ws(h.currentWs(), "4hello");
        h.wsBinary(h.currentWs(), (byte) 1, (byte) 2, (byte) 3);
        h.rec.expect("message hello", "binary 3");
    }

    @Test
    void closeIsIdempotentAndCloseEventFiresOnce() {
        Harness h = new Harness(SLOW).pollingSession(4);
        h.get();
        h.session.close(false, 0);
        h.session.close(false, 0);
        h.session.close(true, 0);
        h.rec.expect("GET2 200 1", "close forced close");
    }

    @Test
    void listenerMayEchoFromInsideOnMessage() {
        Recorder rec = new Recorder();
        Harness h = new Harness(SLOW, rec);
        SessionListener echo = new SessionListener() {
            @Override
            public void onMessage(EngineSession s, CharSequence text) {
                s.send("echo:" + text, true, 0);
            }
        };
        h.polling = new PollingTransport(4, true, null);
        h.session = new EngineSession(Harness.SID, SLOW, echo, h.registry, h.polling);
        h.session.open(0);
        h.get();
        rec.take();
        h.get();
        h.post("4a", "4b");
        rec.expect("GET2 200 4echo:a", "POST1 ok");
        h.get();
        rec.expect("GET3 200 4echo:b");
    }

    @Test
    void eventOrderAroundAFlushMatchesTheReference() {
        Recorder rec = new Recorder(EnumSet.allOf(Recorder.Ev.class));
        Harness h = new Harness(SLOW, rec).pollingSession(4);
        h.get();
        h.session.send("x", true, 0);
        rec.expect("packetCreate 4x", "flush 4x", "GET2 200 4x", "drain");
        h.post("4y");
        rec.expect("packet 4y", "message y", "POST1 ok");
    }
}
