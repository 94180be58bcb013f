package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
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
        assertEquals(Duration.ofSeconds(25), c.pingInterval());
        assertEquals(20_000_000_000L, c.pingTimeoutNs());
        assertEquals(Duration.ofSeconds(10), c.upgradeTimeout());
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
        assertEquals(Duration.ofSeconds(1), c.destroyUpgradeTimeout());
        assertEquals(Duration.ofSeconds(30), c.pollingCloseTimeout());
        assertEquals(Duration.ofMillis(100), c.upgradeNoopInterval());
        assertEquals(100_000_000L, c.upgradeNoopIntervalNs());
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
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingInterval(Duration.ofMillis(0)));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingTimeout(Duration.ofNanos(-1)));
        assertThrows(NullPointerException.class, () -> EngineConfig.builder().upgradeTimeout(null));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().maxHttpBufferSize(-1));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().transports(Set.of()));
        assertThrows(UnsupportedOperationException.class,
                () -> EngineConfig.defaults().transports().add(TransportKind.POLLING));
    }

    @Test
    void timesAreDurationsFromOneMillisecondToNodesLongestTimeoutAndNanosecondsInside() {
        Duration max = EngineConfig.MAX_TIMEOUT;
        assertEquals(Duration.ofMillis(2_147_483_647L), max);
        EngineConfig c = EngineConfig.builder().pingInterval(max).pingTimeout(Duration.ofMillis(1))
                .upgradeTimeout(Duration.ofMillis(1500)).destroyUpgradeTimeout(max).pollingCloseTimeout(max)
                .upgradeNoopInterval(max).build();
        assertEquals(2_147_483_647_000_000L, c.pingIntervalNs());
        assertEquals(1_000_000L, c.pingTimeoutNs());
        assertEquals(1_500_000_000L, c.upgradeTimeoutNs());
        assertEquals(max.toNanos(), c.destroyUpgradeTimeoutNs());
        Duration over = max.plusNanos(1);
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingInterval(over));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingTimeout(over));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().upgradeTimeout(over));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().destroyUpgradeTimeout(over));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pollingCloseTimeout(over));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().upgradeNoopInterval(over));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingInterval(Duration.ofDays(-1)));
        Duration under = EngineConfig.MIN_TIMEOUT.minusNanos(1);
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingInterval(under));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().pingTimeout(under));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().upgradeNoopInterval(under));
    }
}
