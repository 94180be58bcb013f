package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineConfigTest {
    @Test
    void defaultsAreTheReferences() {
        EngineConfig c = EngineConfig.defaults();
        assertEquals(25_000, c.pingIntervalMs());
        assertEquals(20_000, c.pingTimeoutMs());
        assertEquals(10_000, c.upgradeTimeoutMs());
        assertEquals(1_000_000, c.maxHttpBufferSize());
        assertEquals(Set.of(TransportKind.POLLING, TransportKind.WEBSOCKET), c.transports());
        assertTrue(c.allowUpgrades());
        assertFalse(c.allowEIO3());
        assertFalse(c.allowRequest());
        assertNull(c.initialPacket());
        assertEquals("/engine.io/", c.path());
        assertNull(c.cookie());
        assertNull(c.cors());
        assertEquals(1024, c.httpCompressionThreshold());
        assertFalse(c.perMessageDeflate());
        assertEquals(1024, c.perMessageDeflateThreshold());
        assertTrue(c.destroyUpgrade());
        assertEquals(1000, c.destroyUpgradeTimeoutMs());
        assertEquals(30_000, c.pollingCloseTimeoutMs());
        assertEquals(100, c.upgradeNoopIntervalMs());
        assertEquals(List.of(TransportKind.WEBSOCKET), c.upgradesFor(TransportKind.POLLING));
        assertEquals(List.of(), c.upgradesFor(TransportKind.WEBSOCKET));
    }

    @Test
    void pathIsNormalisedLikeComputePath() {
        assertEquals("/custom", EngineConfig.builder().path("/custom").addTrailingSlash(false).build().path());
        assertEquals("/custom", EngineConfig.builder().path("/custom/").addTrailingSlash(false).build().path());
        assertEquals("/socket.io/", EngineConfig.builder().path("/socket.io/").build().path());
        assertEquals("/socket.io/", EngineConfig.builder().path("/socket.io").build().path());
    }

    @Test
    void cookieSerialisesLikeTheReference() {
        assertEquals("io=V2hwwHob6R_WoUmLAAAD; Path=/; HttpOnly; SameSite=Lax",
                EngineConfig.CookieOptions.defaults().serialize("V2hwwHob6R_WoUmLAAAD"));
        assertEquals("sid=x", new EngineConfig.CookieOptions("sid", null, false, null).serialize("x"));
    }

    @Test
    void invalidValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingIntervalMs(0));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().maxHttpBufferSize(-1));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().transports(Set.of()));
        assertThrows(UnsupportedOperationException.class,
                () -> EngineConfig.defaults().transports().add(TransportKind.POLLING));
    }
}
