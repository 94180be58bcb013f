package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SocketIoTest {

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void echoEventWrapsTheTextAsAJsonString() {
        assertEquals("2[\"echo\",\"hello\"]", s(SocketIo.echoEvent("hello".getBytes(StandardCharsets.UTF_8))));
        assertEquals(5 + 12, SocketIo.echoEvent(LoadOptions.message(5)).length, "12 bytes of Socket.IO framing");
        assertEquals(64 + 12, SocketIo.echoEvent(LoadOptions.message(64)).length);
        assertEquals("2[\"echo\",\"a\\\"b\\\\c\\u000ad\"]",
                s(SocketIo.echoEvent("a\"b\\c\nd".getBytes(StandardCharsets.UTF_8))));
        assertEquals("2[\"echo\",\"é€\"]", s(SocketIo.echoEvent("é€".getBytes(StandardCharsets.UTF_8))));
    }

    /** The message data {@code data} placed at offset 3 of a larger buffer, as a frame's payload would be. */
    private static SocketIo.Kind kind(String data) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(d.length + 6);
        buf.put(new byte[] {'x', 'y', 'z'}).put(d).put(new byte[] {'2', '[', '0'});
        return SocketIo.classify(buf, 3, d.length);
    }

    @Test
    void classifiesTheServersPackets() {
        assertEquals(SocketIo.Kind.CONNECT_ACK, kind("0{\"sid\":\"abc\"}"));
        assertEquals(SocketIo.Kind.CONNECT_ACK, kind("0"), "protocol 4 servers acknowledge with a bare 0");
        assertEquals(SocketIo.Kind.OTHER, kind("0/chat,{\"sid\":\"abc\"}"), "another namespace");
        assertEquals(SocketIo.Kind.OTHER, kind("0x"));
        assertEquals(SocketIo.Kind.EVENT, kind("2[\"echo\",\"hello\"]"));
        assertEquals(SocketIo.Kind.OTHER, kind("2"), "the bytes after the span are not read");
        assertEquals(SocketIo.Kind.OTHER, kind("2/chat,[\"echo\"]"));
        assertEquals(SocketIo.Kind.CONNECT_ERROR, kind("4{\"message\":\"Invalid namespace\"}"));
        assertEquals(SocketIo.Kind.DISCONNECT, kind("1"));
        assertEquals(SocketIo.Kind.OTHER, kind("3[]"));
        assertEquals(SocketIo.Kind.OTHER, kind(""));
    }
}
