package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PollingConnTest {

    @Test
    void sidOfTheOpenPacketWithOrWithoutSpaces() {
        assertEquals("AbC-1_2", PollingConn.openPacketSid(
                "0{\"sid\":\"AbC-1_2\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000}"));
        // engine.io-server-java writes a space after every colon
        assertEquals("2zjr6KA99Wc", PollingConn.openPacketSid(
                "0{\"sid\": \"2zjr6KA99Wc\", \"upgrades\": [\"websocket\"], \"pingInterval\": 25000}"));
        assertEquals("x", PollingConn.openPacketSid("0{\"upgrades\":[],\"sid\" :\t\"x\"}"));
    }

    @Test
    void notAnOpenPacket() {
        assertNull(PollingConn.openPacketSid(""));
        assertNull(PollingConn.openPacketSid("4hello"));
        assertNull(PollingConn.openPacketSid("0{\"upgrades\":[]}"));
        assertNull(PollingConn.openPacketSid("0{\"sid\":\"\"}"), "an empty sid");
        assertNull(PollingConn.openPacketSid("0{\"sid\":\"unterminated"));
        assertNull(PollingConn.openPacketSid("0{\"sid\" 5}"));
        assertNull(PollingConn.openPacketSid("0{\"sid\":5}"));
    }
}
