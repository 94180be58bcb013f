package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecTourTest {

    @Test
    void printsTheReferenceBytesOfEveryFormat() {
        String out = CodecTour.tour();
        String[] expected = {
            "GET body   \"0{\"sid\":\"V2hwwHob6R_WoUmLAAAD\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}\\x1e4hello-initial\"",
            "  packet MESSAGE binary [01 02 03 04]",
            "  packet MESSAGE text \"é€😀\"",
            "GET body   \"bAQID\\x1e6\\x1e1\"",
            "bin frame  [01 02 03]   (raw data, no type byte)",
            "GET body   \"6:4hello3:4😀\"",
            "GET body   [00 01 ff 33 01 04 ff 04 01 02 03]   (application/octet-stream)",
            "  packet PONG text \"\"",
            "GET body   \"6:b4AQID\"",
            "bin frame  [04 01 02 03]",
            "  -> LENGTH_MISMATCH (close reason \"parse error\", at byte 0)",
            "  -> BAD_PACKET_TYPE (close reason \"parse error\", at byte 3)",
            "  -> EMPTY_PACKET (close reason \"parse error\", at byte 0)",
            "HTTP 400   \"{\"code\":5,\"message\":\"Unsupported protocol version\"}\"",
            "HTTP 403   \"{\"code\":4,\"message\":\"no \\\"guests\\\"\"}\"",
            "GET body   \"___eio[3](\"4line1\\nline2\\u001e4</script>\\u2028\");\"",
            "  packet MESSAGE text \"line1\\x0aline2\"",
        };
        for (String line : expected) {
            assertTrue(out.contains(line + "\n"), () -> "missing line: " + line + "\n--- output:\n" + out);
        }
    }
}
