package io.stanee.store.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.store.IncompatibleStoreException;
import io.stanee.store.LockAttempt;
import io.stanee.store.MessageSize;
import io.stanee.store.MessageTotals;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessageLimit;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * A store that encrypts message payloads on their way in and decrypts them on their way out, around any other
 * store (Go's {@code CryptoStore}). Sizes read from the store are those of the stored, encrypted messages, as
 * in Go.
 */
public final class EncryptedStore implements Store {

    private static final Logger LOG = Logger.getLogger(EncryptedStore.class.getName());

    private final Store store;
    private final StoreCipher cipher;
    private final MasterKey masterKey;
    private final Map<Integer, String> channelNames = new ConcurrentHashMap<>();
    private final Map<Integer, ChannelCipher> channelCiphers = new ConcurrentHashMap<>();

    public EncryptedStore(Store store, StoreCipher cipher, MasterKey masterKey) {
        this.store = store;
        this.cipher = cipher;
        this.masterKey = masterKey;
    }

    /**
     * Recovers, then decrypts the newest message of every channel: a wrong key fails here, at start-up, with the
     * cipher's error, instead of at the first catch-up read. Only when no channel decrypts: a database written
     * partly without encryption (or with a stray payload starting with a cipher code) still starts, and its
     * channels that cannot be read are named in the log.
     */
    @Override
    public RecoveredState recover() {
        RecoveredState recovered = store.recover();
        channelNames.clear();
        channelCiphers.clear();
        recovered.channels().forEach(c -> channelNames.put(c.channelId(), c.name()));
        List<String> failures = new ArrayList<>();
        int decrypted = 0;
        for (RecoveredState.Channel channel : recovered.channels()) {
            if (channel.last() < channel.first()) {
                continue;
            }
            try {
                if (!messages(channel.channelId(), channel.last(), 1).isEmpty()) {
                    decrypted++;
                }
            } catch (PayloadDecryptionException e) {
                failures.add("channel \"" + channel.name() + "\" message " + channel.last() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty() && decrypted == 0) {
            throw new IncompatibleStoreException("unable to decrypt the stored messages with the configured "
                    + "encryption key (stan.encryption_key or " + MasterKey.ENV_NAME + "): " + failures);
        }
        failures.forEach(f -> LOG.severe("cannot decrypt with the configured encryption key: " + f));
        return recovered;
    }

    @Override
    public void apply(StoreBatch batch) {
        StoreBatch encrypted = new StoreBatch();
        encrypted.requireLockOwner(batch.requiredLockOwner());
        for (StoreOp op : batch.ops()) {
            if (op instanceof StoreOp.CreateChannel create) {
                channelNames.put(create.channelId(), create.name());
            } else if (op instanceof StoreOp.DeleteChannel delete) {
                channelCiphers.remove(delete.channelId());
            }
            encrypted.add(op instanceof StoreOp.AddMessage add ? encrypt(add) : op);
        }
        store.apply(encrypted);
    }

    private StoreOp.AddMessage encrypt(StoreOp.AddMessage add) {
        MsgProto message = parse(add.data());
        if (message.getData().isEmpty()) {
            return add; // Go stores an empty payload as it is
        }
        ChannelCipher channel = channelCiphers.computeIfAbsent(add.channelId(),
                id -> new ChannelCipher(cipher, masterKey.channelKey(name(id)), add.sequence() - 1));
        byte[] data = message.toBuilder()
                .setData(ByteString.copyFrom(channel.encrypt(message.getData().toByteArray())))
                .build().toByteArray();
        return new StoreOp.AddMessage(add.channelId(), add.sequence(), add.timestamp(), data);
    }

    @Override
    public List<StoredMessage> messages(int channelId, long fromSeq, int max) {
        List<StoredMessage> stored = store.messages(channelId, fromSeq, max);
        List<StoredMessage> plain = new ArrayList<>(stored.size());
        for (StoredMessage m : stored) {
            plain.add(new StoredMessage(m.sequence(), m.timestamp(), decrypt(channelId, m)));
        }
        return plain;
    }

    private byte[] decrypt(int channelId, StoredMessage stored) {
        MsgProto message = parse(stored.data());
        if (message.getData().isEmpty()) {
            return stored.data();
        }
        byte[] payload = message.getData().toByteArray();
        byte[] plain;
        try {
            plain = readCipher(channelId).decrypt(payload);
        } catch (PayloadDecryptionException e) {
            throw new PayloadDecryptionException(e.getMessage() + " (message " + stored.sequence()
                    + " of channel \"" + name(channelId) + "\")");
        }
        return plain == payload ? stored.data()
                : message.toBuilder().setData(ByteString.copyFrom(plain)).build().toByteArray();
    }

    /** A channel's cipher; decrypting needs only its key, so a read creates it as a write would. */
    private ChannelCipher readCipher(int channelId) {
        return channelCiphers.computeIfAbsent(channelId,
                id -> new ChannelCipher(cipher, masterKey.channelKey(name(id)), store.lastSequence(id)));
    }

    private String name(int channelId) {
        String name = channelNames.get(channelId);
        if (name == null) {
            throw new IllegalStateException("no name known for channel " + channelId + ": its key cannot be derived");
        }
        return name;
    }

    private static MsgProto parse(byte[] data) {
        try {
            return MsgProto.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored message is not a MsgProto", e);
        }
    }

    @Override
    public StoredMessageLimit checkSchema() {
        return store.checkSchema();
    }

    @Override
    public boolean purgeDeletedChannel(int channelId) {
        return store.purgeDeletedChannel(channelId);
    }

    @Override
    public List<MessageSize> messageSizes(int channelId, long fromSeq, int max) {
        return store.messageSizes(channelId, fromSeq, max);
    }

    @Override
    public Future<List<MessageTotals>> messageTotals(List<StoredRange> ranges) {
        return store.messageTotals(ranges);
    }

    @Override
    public boolean channelStored(int channelId) {
        return store.channelStored(channelId);
    }

    @Override
    public long lastSequence(int channelId) {
        return store.lastSequence(channelId);
    }

    @Override
    public MessagesUpTo messagesUpTo(int channelId, long timestamp) {
        return store.messagesUpTo(channelId, timestamp);
    }

    @Override
    public long firstSequenceAtOrAfter(int channelId, long timestamp) {
        return store.firstSequenceAtOrAfter(channelId, timestamp);
    }

    @Override
    public LockAttempt acquireLock(String lockId, boolean steal) {
        return store.acquireLock(lockId, steal);
    }

    @Override
    public void releaseLock(String lockId) {
        store.releaseLock(lockId);
    }
}
