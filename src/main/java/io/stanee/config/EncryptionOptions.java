package io.stanee.config;

/**
 * The store encryption options as given ({@code stan.encrypt}, {@code stan.encryption_cipher},
 * {@code stan.encryption_key}, and the {@code NATS_STREAMING_ENCRYPTION_KEY} variable); the store decides what
 * they mean, with Go's rules. {@link #toString} leaves the keys out, so that a log line never shows one.
 */
public record EncryptionOptions(boolean encrypt, String cipher, String key, String environmentKey) {

    @Override
    public String toString() {
        return "EncryptionOptions[encrypt=" + encrypt + ", cipher=" + cipher + ", key=" + (key == null ? "unset" : "***")
                + ", " + "environmentKey=" + (environmentKey == null ? "unset" : "***") + "]";
    }
}
