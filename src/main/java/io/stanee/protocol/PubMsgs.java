package io.stanee.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.stanee.protocol.pb.Protocol.PubMsg;

import java.io.IOException;

/**
 * Reads a received PubMsg so that its data field shares the received array instead of copying it: the payload is
 * then copied once, into the stored MsgProto, rather than twice (a kilobyte less to allocate and copy for each
 * 1 KB message).
 * <p>
 * Aliasing needs an input protobuf regards as immutable: {@code CodedInputStream.newInstance(byte[])} is not,
 * and with it {@code enableAliasing} silently copies anyway; {@code UnsafeByteOperations.unsafeWrap} declares the
 * array immutable. The caller promises what that declaration says: nothing writes the array after this call
 * while the PubMsg, or anything holding its data, is in use.
 */
public final class PubMsgs {

    private PubMsgs() {
    }

    /** The PubMsg in {@code received}, its data a view of that array; malformed input is refused as protobuf does. */
    public static PubMsg parseSharing(byte[] received) throws InvalidProtocolBufferException {
        CodedInputStream input = UnsafeByteOperations.unsafeWrap(received).newCodedInput();
        input.enableAliasing(true);
        try {
            PubMsg pub = PubMsg.parseFrom(input);
            input.checkLastTagWas(0);
            return pub;
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) { // declared by the stream form; an array-backed input does no I/O
            throw new InvalidProtocolBufferException(e);
        }
    }
}
