package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandshakeTest {
    private static final String OPEN_DEFAULT = "0{\"sid\":\"AAAAAAAAAAAAAAAAAAAA\",\"upgrades\":[\"websocket\"],"
            + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";

    @Test
    void pollingHandshakeAnswersOpenPacketWithKeysInReferenceOrder() {
        Recorder rec = new Recorder(EnumSet.allOf(Recorder.Ev.class));
        Harness h = new Harness(EngineConfig.defaults(), rec);
        h.polling = new PollingTransport(4, true, null);
        h.session = new EngineSession(Harness.SID, h.config, rec.listener, h.registry, h.polling);
        h.session.open(0);
        assertSame(h.session, h.registry.get(Harness.SID));
        rec.expect("packetCreate 0" + OPEN_DEFAULT.substring(1), "open");
        h.get();
        rec.expect("flush " + OPEN_DEFAULT, "GET1 200 " + OPEN_DEFAULT, "drain");
        assertEquals(EngineSession.State.OPEN, h.session.state());
    }

    @Test
    void handshakeDataFollowsConfiguration() {
        EngineConfig c = EngineConfig.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
                .maxHttpBufferSize(100).build();
        Harness h = new Harness(c);
        h.polling = new PollingTransport(4, true, null);
        h.session = new EngineSession("V2hwwHob6R_WoUmLAAAD", c, h.rec.listener, h.registry, h.polling);
        assertEquals("{\"sid\":\"V2hwwHob6R_WoUmLAAAD\",\"upgrades\":[\"websocket\"],\"pingInterval\":300,"
                + "\"pingTimeout\":200,\"maxPayload\":100}", h.session.handshakeJson());
    }

    @Test
    void initialPacketGoesRightAfterOpenInTheSamePollingResponse() {
        Harness h = new Harness(EngineConfig.builder().initialPacket("hello-initial").build());
        h.polling = new PollingTransport(4, true, null);
        h.session = new EngineSession(Harness.SID, h.config, h.rec.listener, h.registry, h.polling);
        h.session.open(0);
        h.get();
        h.rec.expect("open", "GET1 200 " + OPEN_DEFAULT + "\u001e4hello-initial");
    }

    @Test
    void webSocketHandshakeSendsOpenThenInitialPacketAsSecondFrameWithNoUpgrades() {
        Harness h = new Harness(EngineConfig.builder().initialPacket("hello-initial").build());
        Recorder.Sink sink = h.rec.new Sink("WS1");
        WebSocketTransport ws = new WebSocketTransport(4, true, sink);
        h.session = new EngineSession(Harness.SID, h.config, h.rec.listener, h.registry, ws);
        h.session.open(0);
        String open = "0{\"sid\":\"AAAAAAAAAAAAAAAAAAAA\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                + "\"maxPayload\":1000000}";
        // the open frame goes at once; the initial packet waits for the send callback
        h.rec.expect("WS1 frame " + open, "open");
        ws.onWritable(1);
        h.rec.expect("WS1 frame 4hello-initial");
    }

    @Test
    void upgradesAreEmptyWhenUpgradesAreOffOrWebSocketIsDisabled() {
        EngineConfig noUpgrades = EngineConfig.builder().allowUpgrades(false).build();
        EngineConfig pollingOnly = EngineConfig.builder().transports(Set.of(TransportKind.POLLING)).build();
        for (EngineConfig c : new EngineConfig[] {noUpgrades, pollingOnly}) {
            EngineSession s = new EngineSession("x", c, new SessionListener() { }, null,
                    new PollingTransport(4, true, null));
            assertEquals("{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                    + "\"maxPayload\":1000000}", s.handshakeJson());
        }
    }

    @Test
    void v3HandshakeUsesTheSameOpenPacket() {
        Harness h = new Harness(EngineConfig.builder().allowEIO3(true).build());
        h.polling = new PollingTransport(3, true, null);
        h.session = new EngineSession(Harness.SID, h.config, h.rec.listener, h.registry, h.polling);
        h.session.open(0);
        assertEquals(3, h.session.protocol());
        h.get();
        h.rec.expect("open", "GET1 200 " + OPEN_DEFAULT);
    }

    @Test
    void sidIsJsonEscapedInTheOpenPacket() {
        EngineSession s = new EngineSession("a\"b\\c\u0001", EngineConfig.defaults(), new SessionListener() { }, null,
                new WebSocketTransport(4, true, new Recorder().new Sink("x")));
        assertEquals("{\"sid\":\"a\\\"b\\\\c\\u0001\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                + "\"maxPayload\":1000000}", s.handshakeJson());
    }

    @Test
    void misuseIsRejected() {
        PollingTransport t = new PollingTransport(4, true, null);
        EngineSession s = new EngineSession("x", EngineConfig.defaults(), new SessionListener() { }, null, t);
        assertThrows(IllegalStateException.class, () -> s.send("a", true, 0));
        s.open(0);
        assertThrows(IllegalStateException.class, () -> s.open(0));
        assertThrows(IllegalArgumentException.class,
                () -> new EngineSession("y", EngineConfig.defaults(), new SessionListener() { }, null, t));
        assertThrows(IllegalArgumentException.class, () -> new PollingTransport(5, true, null));
    }

    @Test
    void jsonpIndexKeepsOnlyDigits() {
        assertEquals("12", PollingTransport.jsonpIndex("ab1c2"));
        assertEquals("", PollingTransport.jsonpIndex("x"));
        PollingTransport t = new PollingTransport(4, false, "3");
        assertEquals(true, t.isJsonp());
        assertEquals(false, t.supportsBinary());
        assertEquals(false, new PollingTransport(4, true, null).isJsonp());
    }

    @Test
    void textMessagesWithEmptyDataAreSentAsBareType() {
        Harness h = new Harness(EngineConfig.defaults()).pollingSession(4);
        h.session.send("", true, 0);
        h.get();
        h.rec.expect("GET2 200 4");
        assertEquals(PacketType.MESSAGE, PacketType.fromAscii('4'));
    }
}
