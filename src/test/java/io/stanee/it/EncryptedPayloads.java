package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.stanee.testing.StanClients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of the encryption scenarios, and a command line to publish or check them against any server (the
 * Go server in {@code .ci/encryption-fixtures}). The third payload of a channel is binary and starts with the
 * AES code byte: a reader that guessed "encrypted" from the first byte of a decrypted payload would trip on it.
 * <pre>
 *   EncryptedPayloads publish|expect &lt;nats url&gt; &lt;channel&gt; &lt;count&gt;
 * </pre>
 */
public final class EncryptedPayloads {

    /** The key of the committed Go fixture (src/test/resources/go-encrypted): test data, not a secret. */
    public static final String FIXTURE_KEY = "stan-ee fixture key: not a secret";
    public static final String AES_CHANNEL = "enc.aes";
    public static final String CHACHA_CHANNEL = "enc.chacha";
    public static final int FIXTURE_MESSAGES = 5;

    private EncryptedPayloads() {
    }

    /** The payload of message {@code i} (1-based) of a channel. */
    public static byte[] payload(String channel, int i) {
        if (i == 3) {
            return new byte[]{1, 2, 0, (byte) 0xff, 'x'};
        }
        return (channel + " payload " + i + " \u00e9\u4e2d").getBytes(StandardCharsets.UTF_8);
    }

    public static void publish(StreamingConnection connection, String channel, int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            connection.publish(channel, payload(channel, i));
        }
    }

    /** What is wrong with the channel's messages received with deliver-all (empty list = all as published). */
    public static List<String> check(StreamingConnection connection, String channel, int count) throws Exception {
        List<Message> received = StanClients.receiveAll(connection, channel, count, Duration.ofSeconds(20));
        List<String> problems = new ArrayList<>();
        if (received.size() != count) {
            problems.add(channel + ": received " + received.size() + " of " + count + " messages");
        }
        for (int i = 0; i < received.size(); i++) {
            Message m = received.get(i);
            if (m.getSequence() != i + 1 || !java.util.Arrays.equals(payload(channel, i + 1), m.getData())) {
                problems.add(channel + ": message " + m.getSequence() + " has payload "
                        + java.util.HexFormat.of().formatHex(m.getData()));
            }
        }
        return problems;
    }

    public static void main(String[] args) throws Exception {
        String url = args[1];
        String channel = args[2];
        int count = Integer.parseInt(args[3]);
        try (StreamingConnection connection = StanClients.connect("encrypted-payloads-" + System.nanoTime() % 100000,
                options -> options.natsUrl(url))) {
            if (args[0].equals("publish")) {
                publish(connection, channel, 1, count);
                System.out.println("published " + count + " messages on " + channel);
            } else {
                List<String> problems = check(connection, channel, count);
                problems.forEach(System.err::println);
                System.out.println(problems.isEmpty() ? "ok: " + channel + " 1.." + count + " as published"
                        : "FAILED: " + channel);
                System.exit(problems.isEmpty() ? 0 : 1);
            }
        }
    }
}
