package io.stanee.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which limits a channel gets from the global limits and the per-channel entries (the Go server's rules). */
class LimitsResolverTest {

    private static final ChannelLimits GLOBAL = new ChannelLimits(100, 10_000, 0, 10, 0);

    private static ChannelLimits.Override msgs(long maxMsgs) {
        return new ChannelLimits.Override(maxMsgs, null, null, null, null);
    }

    @Test
    void aChannelWithoutEntryTakesTheGlobalLimits() {
        assertEquals(GLOBAL, new LimitsResolver(GLOBAL, Map.of("foo.*", msgs(5))).forChannel("bar"));
    }

    @Test
    void aLiteralEntryWinsOverWildcardsAndInheritsWhatItLeavesUnset() {
        LimitsResolver resolver = new LimitsResolver(GLOBAL, Map.of(
                "foo.>", new ChannelLimits.Override(null, 500L, null, null, 7_000_000_000L),
                "foo.*", msgs(20),
                "foo.bar", msgs(3)));
        assertEquals(new ChannelLimits(3, 500, 0, 10, 7_000_000_000L), resolver.forChannel("foo.bar"));
        assertEquals(new ChannelLimits(20, 500, 0, 10, 7_000_000_000L), resolver.forChannel("foo.baz"));
        assertEquals(new ChannelLimits(100, 500, 0, 10, 7_000_000_000L), resolver.forChannel("foo.baz.qux"));
        assertEquals(GLOBAL, resolver.forChannel("foo"), "'>' needs at least one more token");
    }

    @Test
    void anExplicitUnlimitedOverridesALimitedWiderEntry() {
        LimitsResolver resolver = new LimitsResolver(GLOBAL, Map.of("logs.*", msgs(5), "logs.audit", msgs(-1)));
        assertEquals(0, resolver.forChannel("logs.audit").maxMsgs(), "0 is unlimited");
        assertEquals(5, resolver.forChannel("logs.app").maxMsgs());
    }
}
