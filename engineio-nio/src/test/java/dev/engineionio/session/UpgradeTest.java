package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpgradeTest {
    private static final EngineConfig SLOW_HEARTBEAT = EngineConfig.builder().pingInterval(Duration.ofMinutes(1))
            .pingTimeout(Duration.ofMinutes(1)).allowEIO3(true).build();

    @Test
    void probeIsAnsweredAndHeldGetIsReleasedWithNoopEvery100Ms() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        h.get();
        WebSocketTransport ws = h.probe();
        assertEquals(EngineSession.UpgradeState.PROBING, h.session.upgradeState());
        assertEquals(10_000, h.deadlineMs(TimerKind.UPGRADE_TIMEOUT));
        h.advanceTo(500); // no noop before 2probe
        h.rec.expect();
        h.ws(ws, "2probe");
        h.rec.expect("WS1 frame 3probe", "upgrading websocket");
        assertEquals(EngineSession.UpgradeState.UPGRADING, h.session.upgradeState());
        h.advanceTo(599);
        h.rec.expect();
        h.advanceTo(600);
        h.rec.expect("GET2 200 6");
        h.advanceTo(700); // no GET held: nothing
        h.rec.expect();
        h.get(); // held until the next tick
        h.advanceTo(799);
        h.rec.expect();
        h.advanceTo(800);
        h.rec.expect("GET3 200 6");
        assertTrue(h.session.isUpgrading());
    }

    @Test
    void upgradeDeliversEveryMessageOnceInOrderOnTheRightTransport() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        h.session.send("before", true, h.nowNs());
        h.get();
        h.rec.expect("GET2 200 4before");
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.writable(ws); // 3probe written
        h.rec.expect("WS1 frame 3probe", "upgrading websocket");
        h.session.send("during-1", true, h.nowNs()); // no GET held: buffered
        h.get();
        h.rec.expect("GET3 200 4during-1"); // still polling during the upgrade
        h.session.send("during-2", true, h.nowNs());
        h.session.send("during-3", true, h.nowNs());
        h.ws(ws, "5");
        h.rec.expect("upgrade websocket", "WS1 frame 4during-2", "WS1 frame 4during-3");
        assertSame(ws, h.session.transport());
        assertTrue(h.session.isUpgraded());
        assertEquals(TransportKind.WEBSOCKET, h.session.transportKind());
        h.session.send("after-1", true, h.nowNs()); // send in flight: buffered
        h.session.send("after-2", true, h.nowNs());
        h.rec.expect();
        h.writable(ws);
        h.rec.expect("WS1 frame 4after-1", "WS1 frame 4after-2");
        h.ws(ws, "4from-client");
        h.rec.expect("message from-client");
        assertEquals(EngineSession.NO_DEADLINE, h.deadlineMs(TimerKind.UPGRADE_TIMEOUT));
        assertEquals(EngineSession.NO_DEADLINE, h.deadlineMs(TimerKind.UPGRADE_NOOP_TICK));
    }

    @Test
    void getStillHeldWhenUpgradeArrivesGetsClosePacket() {
        Recorder rec = new Recorder(EnumSet.of(Recorder.Ev.UPGRADE, Recorder.Ev.CLOSE));
        Harness h = new Harness(SLOW_HEARTBEAT, rec).pollingSession(4);
        h.get();
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.ws(ws, "5");
        rec.expect("WS1 frame 3probe", "GET2 200 1", "upgrade websocket");
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void v3UpgradeWorksTheSameWay() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(3);
        h.get();
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.advance(100);
        h.ws(ws, "5");
        h.rec.expect("WS1 frame 3probe", "upgrading websocket", "GET2 200 6", "upgrade websocket");
    }

    @Test
    void upgradeTimeoutClosesTheProbeAndTheSessionStaysOnPolling() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.rec.expect("WS1 frame 3probe", "upgrading websocket");
        h.advanceTo(9_999);
        h.rec.expect();
        h.advanceTo(10_000);
        h.rec.expect("WS1 close");
        assertEquals(EngineSession.UpgradeState.NONE, h.session.upgradeState());
        assertNull(h.session.probeTransport());
        assertEquals(EngineSession.NO_DEADLINE, h.deadlineMs(TimerKind.UPGRADE_NOOP_TICK));
        h.session.send("still-polling", true, h.nowNs());
        h.get();
        h.rec.expect("GET2 200 4still-polling");
        h.ws(ws, "5"); // late: ignored
        assertSame(h.polling, h.session.transport());
        // a new probe is accepted after a failed one
        WebSocketTransport second = h.probe();
        assertSame(second, h.session.probeTransport());
    }

    @Test
    void anyOtherPacketOnTheProbeClosesIt() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "4hello");
        h.rec.expect("WS1 close");
        assertEquals(EngineSession.UpgradeState.NONE, h.session.upgradeState());
        assertEquals(EngineSession.State.OPEN, h.session.state());
        WebSocketTransport ws2 = h.probe();
        h.ws(ws2, "2notprobe");
        h.rec.expect("WS2 close");
    }

    @Test
    void decodeErrorOrErrorOrCloseOfTheProbeOnlyClosesTheProbe() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        WebSocketTransport a = h.probe();
        a.onDecodeError(h.nowNs());
        WebSocketTransport b = h.probe();
        b.onError("RangeError: Max payload size exceeded", h.nowNs());
        WebSocketTransport c = h.probe();
        c.onClosed(h.nowNs());
        h.rec.expect("WS1 close", "WS2 close");
        assertEquals(EngineSession.State.OPEN, h.session.state());
        assertEquals(EngineSession.UpgradeState.NONE, h.session.upgradeState());
    }

    @Test
    void secondWebSocketWhileUpgradingOrAfterUpgradeIsClosed() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.rec.take();
        WebSocketTransport second = h.probe();
        assertFalse(second.isWritable() && h.session.probeTransport() == second);
        h.rec.expect("WS2 close");
        h.ws(ws, "5");
        h.rec.expect("upgrade websocket");
        h.probe();
        h.rec.expect("WS3 close");
        assertSame(ws, h.session.transport());
    }

    @Test
    void webSocketToWebSocketUpgradeIsAcceptedLikeTheReference() {
        Harness h = new Harness(SLOW_HEARTBEAT);
        h.webSocketSession(4);
        WebSocketTransport first = h.currentWs();
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.ws(ws, "5");
        h.rec.expect("WS2 frame 3probe", "upgrading websocket", "WS1 close", "upgrade websocket");
        assertSame(ws, h.session.transport());
        first.onClosed(h.nowNs()); // the old socket closing later is not a session close
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void sessionCloseWhileUpgradingClosesTheProbeAfterTheCloseEvent() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        h.get();
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.rec.take();
        h.post("2"); // invalid heartbeat direction in v4
        h.rec.expect("GET2 200 1", "close transport error / invalid heartbeat direction", "WS1 close", "POST1 ok");
        assertEquals(EngineSession.NO_DEADLINE, h.nextDeadlineMs());
    }

    @Test
    void upgradeWhileClosingSwitchesThenClosesTheWebSocket() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.writable(ws);
        h.rec.take();
        h.session.close(false, h.nowNs()); // no GET held: waits for one
        assertEquals(EngineSession.State.CLOSING, h.session.state());
        h.ws(ws, "5");
        h.rec.expect("upgrade websocket", "WS1 close", "close forced close");
    }

    @Test
    void probePacketsAreNotDeliveredAsMessages() {
        Harness h = new Harness(SLOW_HEARTBEAT).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.rec.take();
        h.ws(ws, "4sneaky"); // not 5: probe closed, message dropped
        h.rec.expect("WS1 close");
    }

    @Test
    void upgradeKeepsTheV4HeartbeatRunningOnTheNewTransport() {
        EngineConfig c = EngineConfig.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
                .build();
        Harness h = new Harness(c).pollingSession(4);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.writable(ws);
        h.ws(ws, "5");
        h.rec.take();
        h.advanceTo(300);
        h.rec.expect("WS1 frame 2");
        h.writable(ws);
        h.ws(ws, "3");
        h.advanceTo(600);
        h.rec.expect("WS1 frame 2");
        h.advanceTo(800);
        h.rec.expect("WS1 close", "close ping timeout");
    }

    @Test
    void upgradeKeepsAPendingV4PingTimeoutUnlikeTheReference() {
        EngineConfig c = EngineConfig.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
                .build();
        Harness h = new Harness(c).pollingSession(4);
        h.advanceTo(300); // ping queued, pong awaited until 500
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.writable(ws);
        h.ws(ws, "5");
        h.rec.expect("WS1 frame 3probe", "upgrading websocket", "upgrade websocket", "WS1 frame 2");
        assertEquals(500, h.deadlineMs(TimerKind.PING_TIMEOUT));
        h.advanceTo(500);
        h.rec.expect("WS1 close", "close ping timeout");
    }

    @Test
    void upgradedV3SessionStillNeedsClientPingsUnlikeTheReference() {
        EngineConfig c = EngineConfig.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
                .allowEIO3(true).build();
        Harness h = new Harness(c).pollingSession(3);
        WebSocketTransport ws = h.probe();
        h.ws(ws, "2probe");
        h.writable(ws);
        h.ws(ws, "5");
        h.rec.take();
        h.advanceTo(400);
        h.ws(ws, "2");
        h.rec.expect("WS1 frame 3");
        h.writable(ws);
        h.advanceTo(899);
        h.rec.expect();
        h.advanceTo(900);
        h.rec.expect("WS1 close", "close ping timeout");
    }
}
