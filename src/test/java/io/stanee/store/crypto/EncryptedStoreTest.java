package io.stanee.store.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.store.IncompatibleStoreException;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessage;
import io.stanee.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrapper around a real store (the memory store): what lands in the store, what comes back out. */
class EncryptedStoreTest {

    private final MemoryStore memory = new MemoryStore();

    private static byte[] message(long seq, String payload) {
        return MsgProto.newBuilder().setSequence(seq).setSubject("orders").setReply("inbox.1")
                .setData(ByteString.copyFromUtf8(payload)).setTimestamp(1000 + seq).build().toByteArray();
    }

    private static MsgProto parse(byte[] data) throws InvalidProtocolBufferException {
        return MsgProto.parseFrom(data);
    }

    private void writeThroughEncryption(StoreCipher cipher, String key) {
        EncryptedStore store = new EncryptedStore(memory, cipher, MasterKey.of(null, key));
        store.recover();
        StoreBatch batch = new StoreBatch();
        batch.add(new StoreOp.InitServer("test-cluster", new byte[]{1}));
        batch.add(new StoreOp.CreateChannel(1, "orders", 0, 0, 0));
        batch.add(new StoreOp.AddMessage(1, 1, 1001, message(1, "first order")));
        batch.add(new StoreOp.AddMessage(1, 2, 1002, message(2, "")));
        batch.add(new StoreOp.AddMessage(1, 3, 1003, message(3, "third order")));
        store.apply(batch);
    }

    @Test
    void onlyThePayloadIsStoredEncryptedAndReadsGiveItBack() throws Exception {
        writeThroughEncryption(StoreCipher.CHACHA, "secret");

        List<StoredMessage> raw = memory.messages(1, 1, 10);
        MsgProto stored = parse(raw.get(0).data());
        assertEquals("orders", stored.getSubject(), "subject, reply, sequence, timestamp stay in the clear");
        assertEquals("inbox.1", stored.getReply());
        assertEquals(1001, stored.getTimestamp());
        assertEquals(StoreCipher.CHACHA.code, stored.getData().byteAt(0));
        assertEquals(1 + 12 + "first order".length() + 16, stored.getData().size());
        assertTrue(parse(raw.get(1).data()).getData().isEmpty(), "an empty payload is stored as it is (Go)");

        EncryptedStore restarted = new EncryptedStore(memory, StoreCipher.AES, MasterKey.of(null, "secret"));
        restarted.recover();
        List<StoredMessage> read = restarted.messages(1, 1, 10);
        assertArrayEquals(message(1, "first order"), read.get(0).data(), "byte for byte what the core stored");
        assertArrayEquals(message(2, ""), read.get(1).data());
        assertArrayEquals(message(3, "third order"), read.get(2).data());
    }

    @Test
    void aWrongKeyFailsTheStartWithTheCiphersError() {
        writeThroughEncryption(StoreCipher.AES, "secret");
        EncryptedStore wrong = new EncryptedStore(memory, StoreCipher.AES, MasterKey.of("other", "secret"));
        IncompatibleStoreException e = assertThrows(IncompatibleStoreException.class, wrong::recover);
        assertTrue(e.getMessage().contains("cipher: message authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("channel \"orders\" message 3"), e.getMessage());
        assertTrue(e.getMessage().contains("NATS_STREAMING_ENCRYPTION_KEY"), e.getMessage());
    }

    @Test
    void aReadWithTheWrongKeyFailsInsteadOfReturningCiphertext() {
        writeThroughEncryption(StoreCipher.CHACHA, "secret");
        EncryptedStore right = new EncryptedStore(memory, StoreCipher.CHACHA, MasterKey.of(null, "secret"));
        right.recover();
        assertEquals("first order", utf8(right.messages(1, 1, 1).get(0).data()), "the premise: the key reads it");
        EncryptedStore wrong = new EncryptedStore(memory, StoreCipher.CHACHA, MasterKey.of(null, "wrong"));
        assertThrows(IncompatibleStoreException.class, wrong::recover);
        PayloadDecryptionException e = assertThrows(PayloadDecryptionException.class,
                () -> wrong.messages(1, 1, 1));
        assertEquals("chacha20poly1305: message authentication failed (message 1 of channel \"orders\")",
                e.getMessage());
    }

    @Test
    void messagesStoredBeforeEncryptionWasTurnedOnAreReadAsTheyAre() {
        StoreBatch batch = new StoreBatch();
        batch.add(new StoreOp.InitServer("test-cluster", new byte[]{1}));
        batch.add(new StoreOp.CreateChannel(1, "orders", 0, 0, 0));
        batch.add(new StoreOp.AddMessage(1, 1, 1001, message(1, "plain")));
        memory.apply(batch);
        EncryptedStore store = new EncryptedStore(memory, StoreCipher.AES, MasterKey.of(null, "secret"));
        store.recover();
        StoreBatch more = new StoreBatch();
        more.add(new StoreOp.AddMessage(1, 2, 1002, message(2, "secret payload")));
        store.apply(more);
        assertEquals("plain", utf8(store.messages(1, 1, 2).get(0).data()));
        assertEquals("secret payload", utf8(store.messages(1, 1, 2).get(1).data()));
    }

    private static String utf8(byte[] message) {
        try {
            return parse(message).getData().toString(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
