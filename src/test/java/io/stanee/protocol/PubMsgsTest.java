package io.stanee.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.pb.Protocol.PubMsg;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A received PubMsg is read without copying its payload, and read exactly as protobuf reads it otherwise. */
class PubMsgsTest {

    private static final PubMsg SENT = PubMsg.newBuilder().setClientID("me").setGuid("guid-1").setSubject("foo")
            .setReply("_INBOX.x").setData(ByteString.copyFrom(payload())).build();

    @Test
    void theDataIsAViewOfTheReceivedArrayNotACopy() throws Exception {
        byte[] received = SENT.toByteArray();
        PubMsg pub = PubMsgs.parseSharing(received);
        assertEquals(SENT, pub);

        // the premise of the check: the payload's bytes sit at the end of the received array
        int at = received.length - pub.getData().size();
        assertEquals(pub.getData().byteAt(0), received[at]);
        received[at] ^= (byte) 0xFF;
        assertEquals(received[at], pub.getData().byteAt(0), "the data field copied the payload");
    }

    @Test
    void everyFieldReadsAsProtobufReadsIt() throws Exception {
        byte[] received = SENT.toByteArray();
        assertEquals(PubMsg.parseFrom(received), PubMsgs.parseSharing(received));
        assertEquals(PubMsg.getDefaultInstance(), PubMsgs.parseSharing(new byte[0]));
    }

    @Test
    void malformedInputIsRefused() {
        byte[] received = SENT.toByteArray();
        byte[] truncated = Arrays.copyOf(received, received.length - 10);
        assertThrows(InvalidProtocolBufferException.class, () -> PubMsgs.parseSharing(truncated));
        assertThrows(InvalidProtocolBufferException.class, () -> PubMsgs.parseSharing(new byte[]{(byte) 0xFF}));
    }

    private static byte[] payload() {
        byte[] data = new byte[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }
}
