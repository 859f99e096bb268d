package io.stanee.core;

import java.security.SecureRandom;

/** 22 random base-62 characters, the shape of the Go server's NUIDs (ack inboxes, server and lock IDs). */
final class RandomIds {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    static String next() {
        char[] id = new char[22];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
