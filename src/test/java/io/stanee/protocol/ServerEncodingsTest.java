package io.stanee.protocol;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Go server's encodings in what servers send each other: FT activation times, partition channel lists. */
class ServerEncodingsTest {

    @Test
    void theUnixEpochIsMarshalledAsGoDoesForUtc() {
        // Go: time.Unix(0, 0).UTC().MarshalBinary()
        byte[] go = {1, 0, 0, 0, 14, 119, (byte) 145, (byte) 247, 0, 0, 0, 0, 0, (byte) 255, (byte) 255};
        assertArrayEquals(go, GoTime.marshal(Instant.EPOCH));
        assertEquals(Instant.EPOCH, GoTime.unmarshal(go));
    }

    @Test
    void aGoTimeInAnotherZoneNamesTheSameInstant() {
        Instant now = Instant.parse("2026-12-01T09:30:15.123456789Z");
        byte[] utc = GoTime.marshal(now);
        byte[] plusOneHour = utc.clone();
        plusOneHour[13] = 0;
        plusOneHour[14] = 60; // the zone offset in minutes: the instant does not change
        assertEquals(now, GoTime.unmarshal(plusOneHour));
        byte[] version2 = java.util.Arrays.copyOf(plusOneHour, 16);
        version2[0] = 2;
        assertEquals(now, GoTime.unmarshal(version2));
        assertThrows(IllegalArgumentException.class, () -> GoTime.unmarshal(new byte[]{1, 2, 3}));
    }

    @Test
    void channelListsAreLengthPrefixedLittleEndian() {
        byte[] encoded = ChannelLists.encode(List.of("foo", "bar.*"));
        assertArrayEquals(new byte[]{3, 0, 'f', 'o', 'o', 5, 0, 'b', 'a', 'r', '.', '*'}, encoded);
        assertEquals(List.of("foo", "bar.*"), ChannelLists.decode(encoded));
        assertThrows(IllegalArgumentException.class, () -> ChannelLists.decode(new byte[]{9, 0, 'x'}));
        assertThrows(IllegalArgumentException.class, () -> ChannelLists.decode(new byte[]{1}));
    }
}
