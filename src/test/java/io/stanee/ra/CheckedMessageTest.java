package io.stanee.ra;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the adapter publishes without jnats' own subject validation must still be a valid protocol line. */
class CheckedMessageTest {

    @Test
    void carriesSubjectReplyAndData() {
        byte[] data = "ack".getBytes(StandardCharsets.UTF_8);
        CheckedMessage message = new CheckedMessage("_INBOX.abc.1", "_STAN.acks.x", data);
        assertEquals("_INBOX.abc.1", message.getSubject());
        assertEquals("_STAN.acks.x", message.getReplyTo());
        assertArrayEquals(data, message.getData());
        assertNull(new CheckedMessage("_INBOX.abc", null, data).getReplyTo());
    }

    @Test
    void refusesSubjectsThatWouldBreakTheProtocolLine() {
        byte[] data = new byte[1];
        for (String bad : new String[]{"", "two words", "tab\there", "line\r\nPUB x 1", "nul\u0000"}) {
            assertThrows(IllegalArgumentException.class, () -> new CheckedMessage(bad, null, data), bad);
            assertThrows(IllegalArgumentException.class, () -> new CheckedMessage("ok", bad, data), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new CheckedMessage(null, null, data));
    }
}
