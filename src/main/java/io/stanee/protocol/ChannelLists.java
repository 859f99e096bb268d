package io.stanee.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Go server's encoding of a channel list in its partitioning messages ({@code util.EncodeChannels}): each name
 * as its length (2 bytes, little-endian) followed by its bytes.
 */
public final class ChannelLists {

    private ChannelLists() {
    }

    public static byte[] encode(List<String> channels) {
        List<byte[]> names = channels.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toList();
        ByteBuffer buffer = ByteBuffer.allocate(names.stream().mapToInt(n -> 2 + n.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] name : names) {
            if (name.length > 0xFFFF) {
                throw new IllegalArgumentException("channel name too long to encode: " + name.length + " bytes");
            }
            buffer.putShort((short) name.length).put(name);
        }
        return buffer.array();
    }

    /** The names, or an IllegalArgumentException naming where the encoding is broken (Go's wording). */
    public static List<String> decode(byte[] data) {
        List<String> channels = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < 2) {
                throw new IllegalArgumentException(String.format("unable to decode size, pos=%d len=%d",
                        buffer.position(), data.length));
            }
            int length = Short.toUnsignedInt(buffer.getShort());
            if (length > buffer.remaining()) {
                throw new IllegalArgumentException(String.format("unable to decode channel, pos=%d len=%d max=%d",
                        buffer.position(), length, data.length));
            }
            byte[] name = new byte[length];
            buffer.get(name);
            channels.add(new String(name, StandardCharsets.UTF_8));
        }
        return channels;
    }
}
