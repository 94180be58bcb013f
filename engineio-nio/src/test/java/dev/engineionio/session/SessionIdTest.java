package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionIdTest {
    /** A deterministic "random" source: every byte is {@code fill}. */
    private static SecureRandom constant(int fill) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) fill);
            }
        };
    }

    @Test
    void idsAre20Base64UrlCharsEndingInTheSequence() {
        Base64IdGenerator g = new Base64IdGenerator(constant(0xfb), 0);
        String a = g.generateId();
        String b = g.generateId();
        String c = g.generateId();
        assertEquals(20, a.length());
        assertEquals("-_v7-_v7-_v7-_v7AAAA", a); // 0xfb bytes use both URL-safe characters
        assertTrue(b.endsWith("AAAB"));
        assertTrue(c.endsWith("AAAC"));
        byte[] raw = Base64.getUrlDecoder().decode(b);
        assertEquals(15, raw.length);
        assertArrayEquals(new byte[] {0, 0, 1}, Arrays.copyOfRange(raw, 12, 15));
    }

    @Test
    void sequenceWrapsAfter24Bits() {
        Base64IdGenerator g = new Base64IdGenerator(constant(0), 0xffffff);
        assertTrue(g.generateId().endsWith("____"));
        assertTrue(g.generateId().endsWith("AAAA"));
    }

    @Test
    void defaultGeneratorMakesDistinctIds() {
        Base64IdGenerator g = new Base64IdGenerator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = g.generateId();
            assertTrue(id.matches("[A-Za-z0-9_-]{20}"), id);
            assertTrue(seen.add(id));
        }
    }

    @Test
    void registryCountsAndForgetsClosedSessions() {
        SessionRegistry r = new SessionRegistry();
        EngineSession s = new EngineSession("a", EngineConfig.defaults(), new SessionListener() { }, r,
                new PollingTransport(4, true, null));
        assertEquals(0, r.size());
        s.open(0);
        assertEquals(1, r.size());
        assertTrue(r.contains("a"));
        s.close(true, 0);
        assertEquals(0, r.size());
    }
}
