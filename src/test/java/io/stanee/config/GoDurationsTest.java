package io.stanee.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Options keep the Go server's duration syntax. */
class GoDurationsTest {

    @Test
    void readsGoDurations() {
        assertEquals(Duration.ofSeconds(30), GoDurations.parse("x", "30s"));
        assertEquals(Duration.ofSeconds(90), GoDurations.parse("x", "1m30s"));
        assertEquals(Duration.ofMillis(500), GoDurations.parse("x", "500ms"));
        assertEquals(Duration.ofHours(2), GoDurations.parse("x", "2h"));
        assertEquals(Duration.ofMillis(1500), GoDurations.parse("x", "1.5s"));
        assertEquals(Duration.ZERO, GoDurations.parse("x", "0"));
    }

    @Test
    void rejectsWhatIsNotADurationNamingTheOption() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GoDurations.parse("stan.max_age", "30"));
        assertEquals("stan.max_age: 30 is not a duration (examples: 30s, 1m30s, 500ms)", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("x", "10 s"));
        assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("x", "5d"));
        assertEquals("stan.hb_interval: -1s must not be negative",
                assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("stan.hb_interval", "-1s"))
                        .getMessage());
    }
}
