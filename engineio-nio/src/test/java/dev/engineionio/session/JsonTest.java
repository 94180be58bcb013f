package dev.engineionio.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {
    private static String q(String s) {
        return Json.quote(new StringBuilder(), s).toString();
    }

    @Test
    void escapesLikeJsonStringify() {
        assertEquals("\"plain\"", q("plain"));
        assertEquals("\"a\\\"b\\\\c\"", q("a\"b\\c"));
        assertEquals("\"\\b\\f\\n\\r\\t\"", q("\b\f\n\r\t"));
        assertEquals("\"\\u0000\\u001f\\u001e\"", q("\u0000\u001f\u001e"));
        assertEquals("\"\u007f\u2028é😀\"", q("\u007f\u2028é😀")); // JSON.stringify leaves these alone
        assertEquals("\"\\ud800x\\udc00\"", q("\ud800x\udc00")); // lone surrogates
    }
}
