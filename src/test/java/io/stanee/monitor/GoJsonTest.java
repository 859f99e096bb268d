package io.stanee.monitor;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Go server's texts: MarshalIndent, RFC3339Nano, myUptime, and its paging of lists. */
class GoJsonTest {

    @Test
    void indentsAsMarshalIndentWithTwoSpaces() {
        String json = GoJson.indent(Json.createObjectBuilder()
                .add("name", "a<b>&\"c\"\n")
                .add("count", 3)
                .add("ok", true)
                .add("empty", Json.createArrayBuilder())
                .add("none", Json.createObjectBuilder())
                .add("list", Json.createArrayBuilder().add(Json.createObjectBuilder().add("x", 1)).add("y"))
                .build());
        assertEquals("""
                {
                  "name": "a\\u003cb\\u003e\\u0026\\"c\\"\\n",
                  "count": 3,
                  "ok": true,
                  "empty": [],
                  "none": {},
                  "list": [
                    {
                      "x": 1
                    },
                    "y"
                  ]
                }""", json);
    }

    @Test
    void timesAreRfc3339NanoWithTrailingZerosCut() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            assertEquals("2026-12-01T09:59:18.09438992Z", GoJson.time(Instant.parse("2026-12-01T09:59:18.094389920Z")));
            assertEquals("2026-12-01T09:59:18Z", GoJson.time(Instant.parse("2026-12-01T09:59:18Z")));
            TimeZone.setDefault(TimeZone.getTimeZone("GMT+02:00"));
            assertEquals("2026-12-01T11:59:18.5+02:00", GoJson.time(Instant.parse("2026-12-01T09:59:18.5Z")));
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void uptimeLeavesOutLeadingZeroUnits() {
        assertEquals("0s", GoJson.uptime(Duration.ofMillis(999)));
        assertEquals("59s", GoJson.uptime(Duration.ofSeconds(59)));
        assertEquals("1m1s", GoJson.uptime(Duration.ofSeconds(61)));
        assertEquals("1h0m0s", GoJson.uptime(Duration.ofHours(1)));
        assertEquals("1d0h0m1s", GoJson.uptime(Duration.ofDays(1).plusSeconds(1)));
        assertEquals("1y1d0h0m0s", GoJson.uptime(Duration.ofDays(366)));
    }

    @Test
    void pagingFollowsGetOffsetAndLimit() {
        // offset, limit, from, to
        assertEquals(new StreamingMonitor.Page(0, 1024, 0, 3), StreamingMonitor.page(null, null, 3));
        assertEquals(new StreamingMonitor.Page(1, 1, 1, 2), StreamingMonitor.page("1", "1", 3));
        assertEquals(new StreamingMonitor.Page(0, 1024, 0, 3), StreamingMonitor.page("-3", "0", 3));
        assertEquals(new StreamingMonitor.Page(10, 1024, 3, 3), StreamingMonitor.page("10", "x", 3));
        assertEquals(new StreamingMonitor.Page(2, Long.MAX_VALUE, 2, 3), StreamingMonitor.page("+2", "99999999999999999999", 3));
        assertEquals(0, StreamingMonitor.atoi(" 1"));
        assertEquals(1, StreamingMonitor.atoi("1"));
    }
}
