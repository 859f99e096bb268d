package io.stanee.core;

import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.PubMsg;
import io.stanee.store.StoredMessageLimit;

/**
 * What one request may ask, beside the channel limits: how long a name may be (the schema's columns are
 * VARCHAR(1024)), how many clients may be registered, and how large a message may be, which is learned at run
 * time: the NATS server's {@code max_payload} (a delivery must fit in it) and the store's message column.
 *
 * <p>The configured limits are fixed; the learned ones are set from other threads (the adapter's worker, the
 * schema check) and read by the core's worker, hence volatile.
 */
public final class RequestLimits {

    /** The length of the schema's name columns (Channels.name, Clients.id: VARCHAR(1024)). */
    public static final int SCHEMA_NAME_LENGTH = 1024;
    public static final int DEFAULT_MAX_CLIENTS = 10_000;
    /**
     * What a redelivery adds to a stored message: the redelivered flag (2 bytes) and the largest redelivery
     * count (a 5-byte varint and its tag). A message is accepted only if every delivery of it fits.
     */
    static final int REDELIVERY_BYTES = 8;

    private final int maxNameLength;
    private final int maxClients;
    private volatile long natsMaxPayload;
    private volatile StoredMessageLimit storedMessageLimit;

    /** The defaults: names up to the schema's 1024 characters, {@value #DEFAULT_MAX_CLIENTS} clients. */
    public RequestLimits() {
        this(SCHEMA_NAME_LENGTH, DEFAULT_MAX_CLIENTS);
    }

    /**
     * @param maxNameLength the longest channel name, client ID, durable or queue group name or inbox, in
     *                      characters: 1 to {@value #SCHEMA_NAME_LENGTH}
     * @param maxClients the most clients registered at once, 0 = unlimited
     */
    public RequestLimits(int maxNameLength, int maxClients) {
        if (maxNameLength < 1 || maxNameLength > SCHEMA_NAME_LENGTH) {
            throw new IllegalArgumentException("stan.max_name_length must be between 1 and " + SCHEMA_NAME_LENGTH
                    + " (the schema's VARCHAR(" + SCHEMA_NAME_LENGTH + ") columns), got " + maxNameLength);
        }
        if (maxClients < 0) {
            throw new IllegalArgumentException("stan.max_clients cannot be negative, got " + maxClients);
        }
        this.maxNameLength = maxNameLength;
        this.maxClients = maxClients;
    }

    public int maxNameLength() {
        return maxNameLength;
    }

    public int maxClients() {
        return maxClients;
    }

    /** The NATS server's max_payload, as the adapter learned it on connecting (0: not known, no check). */
    public void natsMaxPayload(long maxPayload) {
        this.natsMaxPayload = maxPayload;
    }

    public long natsMaxPayload() {
        return natsMaxPayload;
    }

    /** The store's cap on a serialized message, or null when its column holds whatever NATS carries. */
    public void storedMessageLimit(StoredMessageLimit limit) {
        this.storedMessageLimit = limit;
    }

    /** The error for a name longer than allowed ({@code what}: "channel name", "clientID", ...), or null. */
    String nameTooLong(String what, String name) {
        return name.length() > maxNameLength
                ? ProtocolErrors.nameTooLong(what, name.length(), maxNameLength) : null;
    }

    boolean tooManyClients(int registered) {
        return maxClients > 0 && registered >= maxClients;
    }

    /**
     * The error for a publish whose message, stored with this sequence and timestamp, would not fit the store's
     * column or, delivered (and redelivered), the NATS max_payload; null if it fits.
     */
    String messageTooLarge(PubMsg pub, long sequence, long timestamp) {
        long stored = MsgProto.newBuilder()
                .setSequence(sequence)
                .setSubject(pub.getSubject())
                .setReply(pub.getReply())
                .setData(pub.getData())
                .setTimestamp(timestamp)
                .build()
                .getSerializedSize();
        StoredMessageLimit column = storedMessageLimit;
        if (column != null && stored > column.maxBytes()) {
            return ProtocolErrors.tooLargeForStore(stored, column.column(), column.maxBytes(), column.remedy());
        }
        long maxPayload = natsMaxPayload;
        long delivered = stored + REDELIVERY_BYTES;
        if (maxPayload > 0 && delivered > maxPayload) {
            return ProtocolErrors.tooLargeForNats(delivered, maxPayload);
        }
        return null;
    }
}
