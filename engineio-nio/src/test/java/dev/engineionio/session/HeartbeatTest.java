package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HeartbeatTest {
    private static final EngineConfig FAST = EngineConfig.builder().pingInterval(Duration.ofMillis(300))
            .pingTimeout(Duration.ofMillis(200))
            .allowEIO3(true).build();

    @Test
    void v4ServerPingsEveryIntervalCountedFromTheLastPong() {
        Recorder rec = new Recorder(EnumSet.of(Recorder.Ev.HEARTBEAT, Recorder.Ev.CLOSE));
        Harness h = new Harness(FAST, rec).pollingSession(4);
        assertEquals(300, h.nextDeadlineMs());
        for (int round = 0; round < 4; round++) {
            long start = h.now;
            h.get();
            h.advance(299);
            rec.expect();
            h.advance(1);
            rec.expect("GET" + (round + 2) + " 200 2");
            assertEquals(h.now + 200, h.deadlineMs(TimerKind.PING_TIMEOUT));
            h.advance(50);
            h.post("3");
            rec.expect("heartbeat", "POST" + (round + 1) + " ok");
            assertEquals(EngineSession.NO_DEADLINE, h.deadlineMs(TimerKind.PING_TIMEOUT));
            assertEquals(h.now + 300, h.nextDeadlineMs());
            assertEquals(start + 350, h.now);
        }
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void v4ClosesWithPingTimeoutWhenNoPongComes() {
        Harness h = new Harness(FAST).pollingSession(4);
        h.get();
        h.advanceTo(300);
        h.rec.expect("GET2 200 2");
        h.get();
        h.advanceTo(499);
        h.rec.expect();
        h.advanceTo(500);
        h.rec.expect("GET3 200 1", "close ping timeout");
        assertNull(h.registry.get(Harness.SID));
        assertEquals(EngineSession.NO_DEADLINE, h.nextDeadlineMs());
    }

    @Test
    void v4PingTimeoutOverWebSocketClosesTheSocket() {
        Harness h = new Harness(FAST);
        h.webSocketSession(4);
        h.advanceTo(300);
        h.rec.expect("WS1 frame 2");
        h.writable(h.currentWs());
        h.advanceTo(500);
        h.rec.expect("WS1 close", "close ping timeout");
    }

    @Test
    void v4OneNonPongPacketExtendsThePingTimeoutOncePerPing() {
        Harness h = new Harness(FAST).pollingSession(4);
        h.advanceTo(300); // ping queued, no GET held
        assertEquals(500, h.deadlineMs(TimerKind.PING_TIMEOUT));
        h.advanceTo(400);
        h.post("4a");
        assertEquals(600, h.deadlineMs(TimerKind.PING_TIMEOUT));
        h.advanceTo(450);
        h.post("4b");
        assertEquals(600, h.deadlineMs(TimerKind.PING_TIMEOUT)); // only once
        h.advanceTo(550);
        h.post("3");
        assertEquals(850, h.deadlineMs(TimerKind.PING));
        h.rec.expect("message a", "POST1 ok", "message b", "POST2 ok", "POST3 ok");
        // the next ping gets its own single extension
        h.advanceTo(850);
        h.advanceTo(900);
        h.post("4c");
        assertEquals(1100, h.deadlineMs(TimerKind.PING_TIMEOUT));
        h.post("4d");
        h.advanceTo(1099);
        h.rec.expect("message c", "POST4 ok", "message d", "POST5 ok");
        h.advanceTo(1100);
        h.rec.expect("close ping timeout");
    }

    @Test
    void v4PacketsOutsideAPongWaitDoNotMoveTimers() {
        Harness h = new Harness(FAST).pollingSession(4);
        h.advanceTo(100);
        h.post("4a");
        assertEquals(300, h.nextDeadlineMs());
    }

    @Test
    void v4UnsolicitedPongIsToleratedAndPostponesTheNextPing() {
        Harness h = new Harness(FAST).pollingSession(4);
        h.advanceTo(100);
        h.post("3");
        h.rec.expect("POST1 ok");
        assertEquals(400, h.deadlineMs(TimerKind.PING));
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void v4ClientPingIsAnInvalidHeartbeatDirection() {
        Harness h = new Harness(FAST).pollingSession(4);
        h.get();
        h.post("2");
        h.rec.expect("GET2 200 1", "close transport error / invalid heartbeat direction", "POST1 ok");
    }

    @Test
    void v3ServerNeverPingsAndAnswersEachClientPingWithABarePong() {
        Recorder rec = new Recorder(EnumSet.of(Recorder.Ev.HEARTBEAT, Recorder.Ev.CLOSE));
        Harness h = new Harness(FAST, rec).pollingSession(3);
        assertEquals(500, h.deadlineMs(TimerKind.PING_TIMEOUT));
        assertEquals(EngineSession.NO_DEADLINE, h.deadlineMs(TimerKind.PING));
        for (int round = 0; round < 5; round++) {
            h.advance(450);
            h.post("2x");
            rec.expect("heartbeat", "POST" + (round + 1) + " ok");
            assertEquals(h.now + 500, h.deadlineMs(TimerKind.PING_TIMEOUT));
            h.get();
            rec.expect("GET" + (round + 2) + " 200 3");
        }
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void v3ClosesAfterPingIntervalPlusPingTimeoutWithoutClientPing() {
        Harness h = new Harness(FAST).pollingSession(3);
        h.get();
        h.advanceTo(499);
        h.rec.expect();
        h.advanceTo(500);
        h.rec.expect("GET2 200 1", "close ping timeout");
    }

    @Test
    void v3ClientPongIsAnInvalidHeartbeatDirection() {
        Harness h = new Harness(FAST);
        h.webSocketSession(3);
        h.ws(h.currentWs(), "3");
        h.rec.expect("WS1 close", "close transport error / invalid heartbeat direction");
    }

    @Test
    void v3WebSocketPingGetsPongFrame() {
        Harness h = new Harness(FAST);
        h.webSocketSession(3);
        h.ws(h.currentWs(), "2probe-ish");
        h.rec.expect("WS1 frame 3");
    }
}
