/**
 * Encryption at rest compatible with the Go server's {@code stores/cryptostore.go} (0.25.6): a {@link
 * io.stanee.store.Store} wrapping any other, as the Go {@code CryptoStore} wraps any store. Only the payload of
 * a message (the {@code data} field of its MsgProto) is encrypted; channels, subscriptions, clients and the
 * message's subject, reply and timestamp stay as they are.
 *
 * <p>What an encrypted payload is, byte for byte (so that either server reads what the other wrote):
 * <pre>
 *   [cipher code: 1 = AES-256-GCM, 2 = ChaCha20-Poly1305] [12-byte nonce] [ciphertext] [16-byte tag]
 * </pre>
 * The key of a channel is {@code SHA-256(zeros(33 + len(channel)) || SHA-256(user key) || '.' || channel)}: the
 * Go code allocates the buffer with a length instead of a capacity before appending, and those leading zero
 * bytes are part of every key ever derived, so they are reproduced here. Nothing else is stored: the Go SQL store
 * keeps no key material in the database (no row, no column), every key is derived from the user's key and the
 * channel name, and each payload carries its own nonce. The nonce of a channel starts as 4 random bytes and
 * the big-endian channel's last sequence + 1 (8 bytes), counting up by one per message.
 *
 * <p>Plain Java (JDK ciphers {@code AES/GCM/NoPadding} and {@code ChaCha20-Poly1305}); uses the store contract
 * and the protocol's MsgProto only.
 */
package io.stanee.store.crypto;
