package io.stanee.store.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash of the user's key, from which every channel's key is derived (Go's {@code createMasterKeyHash}). The
 * key itself is not kept.
 */
public final class MasterKey {

    /** The environment variable that, when set, wins over the {@code encryption_key} option (as in Go). */
    public static final String ENV_NAME = "NATS_STREAMING_ENCRYPTION_KEY";

    /** The Go server's error when encryption is on and no key is given. */
    public static final String KEY_REQUIRED = "encryption key required";

    private final byte[] hash;

    private MasterKey(byte[] hash) {
        this.hash = hash;
    }

    /**
     * The master key from the environment variable's value if it is set and not empty, else from the option's;
     * {@value #KEY_REQUIRED} when neither has one. Keys are taken as their UTF-8 bytes (Go's {@code []byte(s)}).
     */
    public static MasterKey of(String environmentKey, String optionKey) {
        String key = environmentKey != null && !environmentKey.isEmpty() ? environmentKey : optionKey;
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(KEY_REQUIRED);
        }
        return new MasterKey(sha256(key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The key of one channel: SHA-256 over {@code 33 + len(channel)} zero bytes, the master hash, '.', and the
     * channel name. The zeros are Go's ({@code make([]byte, n)} then {@code append}): without them the key
     * would differ from the Go server's and neither could read the other's payloads.
     */
    byte[] channelKey(String channel) {
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        int zeros = hash.length + 1 + name.length;
        byte[] input = new byte[zeros + hash.length + 1 + name.length];
        System.arraycopy(hash, 0, input, zeros, hash.length);
        input[zeros + hash.length] = '.';
        System.arraycopy(name, 0, input, zeros + hash.length + 1, name.length);
        return sha256(input);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
