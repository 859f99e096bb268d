package io.stanee.protocol;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Go's {@code time.Time.MarshalBinary} encoding, which the Go server puts in its FT heartbeats (the active's
 * activation time): a version byte, seconds since January 1 of year 1 and nanoseconds (big-endian), the zone
 * offset in minutes (-1 for UTC) and, in version 2, the offset's leftover seconds.
 */
public final class GoTime {

    /** Seconds from January 1, year 1 to the Unix epoch (Go's unixToInternal). */
    private static final long UNIX_TO_INTERNAL = 62_135_596_800L;
    private static final byte VERSION_1 = 1;
    private static final byte VERSION_2 = 2;
    private static final short UTC_OFFSET = -1;

    private GoTime() {
    }

    /** The instant as Go marshals a UTC time. */
    public static byte[] marshal(Instant instant) {
        return ByteBuffer.allocate(15)
                .put(VERSION_1)
                .putLong(instant.getEpochSecond() + UNIX_TO_INTERNAL)
                .putInt(instant.getNano())
                .putShort(UTC_OFFSET)
                .array();
    }

    /** The instant a Go-marshalled time names (its zone does not change the instant). */
    public static Instant unmarshal(byte[] data) {
        if (data == null || data.length < 15 || (data[0] != VERSION_1 && data[0] != VERSION_2)
                || (data[0] == VERSION_2 && data.length < 16)) {
            throw new IllegalArgumentException("Time.UnmarshalBinary: invalid length or unsupported version");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, 1, 12);
        return Instant.ofEpochSecond(buffer.getLong() - UNIX_TO_INTERNAL, buffer.getInt());
    }
}
