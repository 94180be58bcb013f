package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void socketIoIsAFlagAndWrapsTheEchoData() {
        LoadOptions o = LoadOptions.parse(new String[] {"ws", "--socketio", "--url", "http://127.0.0.1:9/socket.io/",
            "--size", "8"});
        assertTrue(o.socketIo);
        assertEquals("/socket.io/", o.path);
        assertEquals(9, o.port);
        assertEquals("2[\"echo\",\"hellohel\"]", new String(o.echoData(), StandardCharsets.UTF_8));

        LoadOptions plain = LoadOptions.parse(new String[] {"polling", "--url", "http://127.0.0.1:9/engine.io/"});
        assertFalse(plain.socketIo);
        assertEquals("hello", new String(plain.echoData(), StandardCharsets.UTF_8));
    }

    @Test
    void flagsInAnyPositionAndBadInput() {
        LoadOptions o = LoadOptions.parse(new String[] {"idle", "--jvm-heap", "--sessions", "3", "--socketio"});
        assertTrue(o.socketIo);
        assertTrue(o.jvmHeap);
        assertEquals(3, o.sessions);
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"ws", "--socket-io"}));
        assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse(new String[] {"ws", "--url", "http://10.0.0.1:3000/engine.io/"}));
    }
}
