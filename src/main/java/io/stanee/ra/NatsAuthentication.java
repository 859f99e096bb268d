package io.stanee.ra;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import static io.stanee.ra.NatsSecrets.isSet;

/**
 * Puts stan-ee's NATS identity on the jnats options, as the Go server's {@code createNatsClientConn} does:
 * user and password, token, a credentials file (user JWT and seed, read again at every reconnect so a rotated file
 * is picked up) or an NKey seed file. Files are checked here, so a wrong path is reported with its option's name
 * before any connection attempt; a seed or JWT never appears in a message.
 */
final class NatsAuthentication {

    private NatsAuthentication() {
    }

    static void apply(Options.Builder options, NatsSecrets secrets) throws NatsSettingsException {
        if (isSet(secrets.user()) || isSet(secrets.password())) {
            options.userInfo(nonNull(secrets.user()).toCharArray(), nonNull(secrets.password()).toCharArray());
        }
        if (isSet(secrets.token())) {
            options.token(secrets.token().toCharArray());
        }
        if (isSet(secrets.credentials()) && isSet(secrets.nkeySeedFile())) {
            throw new NatsSettingsException("stan.credentials and stan.nkey_seed_file are both set: a credentials "
                    + "file already holds the NKey seed, set only one of them");
        }
        if (isSet(secrets.credentials())) {
            options.authHandler(checkedCredentials(secrets.credentials()));
        }
        if (isSet(secrets.nkeySeedFile())) {
            options.authHandler(new NKeyAuthHandler(readSeed(secrets.nkeySeedFile())));
        }
    }

    private static AuthHandler checkedCredentials(String file) throws NatsSettingsException {
        readable(file, "stan.credentials");
        AuthHandler handler = Nats.credentials(file);
        try {
            char[] jwt = handler.getJWT();
            char[] id = handler.getID();
            if (jwt == null || jwt.length == 0 || id == null || id.length == 0) {
                throw new IllegalStateException("incomplete");
            }
        } catch (RuntimeException e) {
            // jnats' message could quote the file: say only what is wrong
            throw new NatsSettingsException("stan.credentials: " + file + " holds no user JWT and NKey seed "
                    + "(expected the -----BEGIN NATS USER JWT----- and -----BEGIN USER NKEY SEED----- blocks of a "
                    + ".creds file)");
        }
        return handler;
    }

    /**
     * The seed of an NKey seed file: the file's only content, or the seed among other lines (a decorated file),
     * as the Go client's {@code NkeyOptionFromSeed} accepts.
     */
    static NKey readSeed(String file) throws NatsSettingsException {
        String content = readable(file, "stan.nkey_seed_file");
        for (String word : content.split("\\s+")) {
            if (word.startsWith("SU")) {
                try {
                    NKey key = NKey.fromSeed(word.toCharArray());
                    key.getPublicKey(); // proves the seed decodes
                    return key;
                } catch (RuntimeException | GeneralSecurityException | IOException e) {
                    // not a seed after all: look further
                }
            }
        }
        throw new NatsSettingsException("stan.nkey_seed_file: " + file + " holds no user NKey seed (a line "
                + "starting with SU, as `nk -gen user` writes)");
    }

    private static String readable(String file, String option) throws NatsSettingsException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new NatsSettingsException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /** Signs the server's nonce with the NKey of {@code stan.nkey_seed_file} (no JWT: plain NKey auth). */
    private record NKeyAuthHandler(NKey key) implements AuthHandler {

        @Override
        public byte[] sign(byte[] nonce) {
            try {
                return key.sign(nonce);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("could not sign the NATS nonce with the NKey", e);
            }
        }

        @Override
        public char[] getID() {
            try {
                return key.getPublicKey();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("could not derive the NKey's public key", e);
            }
        }

        @Override
        public char[] getJWT() {
            return null;
        }

        @Override
        public String toString() {
            return "NKeyAuthHandler";
        }
    }
}
