package io.stanee.store.crypto;

import io.stanee.it.EncryptedPayloads;
import io.stanee.protocol.pb.Protocol.MsgProto;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Payloads the Go server 0.25.6 encrypted (src/test/resources/go-encrypted/postgres.sql, recorded by
 * .ci/encryption-fixtures) are decrypted here to what was published: the key derivation, the layout and both
 * ciphers are Go's.
 */
class GoEncryptedPayloadsTest {

    private static final Pattern MESSAGE = Pattern.compile(
            "INSERT INTO Messages \\(id, seq, timestamp, size, data\\) VALUES \\((\\d+), (\\d+), \\d+, \\d+, E'\\\\\\\\x([0-9a-f]+)'\\);");
    private static final Map<Integer, String> CHANNELS = Map.of(1, EncryptedPayloads.AES_CHANNEL,
            2, EncryptedPayloads.CHACHA_CHANNEL);

    private record Row(int channelId, long seq, MsgProto message) { }

    private static List<Row> goRows() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/go-encrypted/postgres.sql"))) {
            Matcher m = MESSAGE.matcher(line);
            if (m.matches()) {
                rows.add(new Row(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                        MsgProto.parseFrom(HexFormat.of().parseHex(m.group(3)))));
            }
        }
        assertEquals(2 * EncryptedPayloads.FIXTURE_MESSAGES, rows.size(), "the fixture's messages");
        return rows;
    }

    @Test
    void everyPayloadTheGoServerEncryptedIsReadBack() throws Exception {
        MasterKey key = MasterKey.of(null, EncryptedPayloads.FIXTURE_KEY);
        for (Row row : goRows()) {
            String channel = CHANNELS.get(row.channelId());
            byte code = row.message().getData().byteAt(0);
            assertEquals(channel.equals(EncryptedPayloads.AES_CHANNEL) ? 1 : 2, code, "Go's cipher code");
            ChannelCipher cipher = new ChannelCipher(StoreCipher.AES, key.channelKey(channel), 0);
            assertArrayEquals(EncryptedPayloads.payload(channel, (int) row.seq()),
                    cipher.decrypt(row.message().getData().toByteArray()), channel + " " + row.seq());
        }
    }

    @Test
    void anotherKeyFailsOnGosPayloadsWithGosErrors() throws Exception {
        MasterKey wrong = MasterKey.of(null, EncryptedPayloads.FIXTURE_KEY + "!");
        for (Row row : goRows()) {
            String channel = CHANNELS.get(row.channelId());
            ChannelCipher cipher = new ChannelCipher(StoreCipher.AES, wrong.channelKey(channel), 0);
            PayloadDecryptionException e = assertThrows(PayloadDecryptionException.class,
                    () -> cipher.decrypt(row.message().getData().toByteArray()));
            assertEquals(row.channelId() == 1 ? "cipher: message authentication failed"
                    : "chacha20poly1305: message authentication failed", e.getMessage());
        }
    }
}
