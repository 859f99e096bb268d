package io.stanee.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Go server's channel name rules. */
class ChannelNamesTest {

    @Test
    void literalNames() {
        for (String ok : new String[]{"foo", "foo.bar", "a-b_c", "with space"}) {
            assertTrue(ChannelNames.isValidLiteral(ok), ok);
        }
        for (String bad : new String[]{"", ".foo", "foo.", "foo..bar", "a/b", "foo.*", "foo.>", "f*o"}) {
            assertFalse(ChannelNames.isValidLiteral(bad), bad);
        }
    }

    @Test
    void namesWithWildcards() {
        for (String ok : new String[]{"foo.*", "foo.>", "*.bar", ">", "foo.*.baz"}) {
            assertTrue(ChannelNames.isValidWithWildcards(ok), ok);
        }
        for (String bad : new String[]{"foo.>.bar", "foo*", "foo.b>", "foo..*", ""}) {
            assertFalse(ChannelNames.isValidWithWildcards(bad), bad);
        }
    }
}
