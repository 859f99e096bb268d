package io.stanee.testing;

import io.nats.client.NKey;
import io.nats.client.support.JsonSerializable;
import io.nats.client.support.JwtUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * A decentralised-auth (JWT) set-up made with jnats' NKey and JWT support: an operator, one account it signed, and
 * users of that account with their credentials files, plus the nats-server configuration that trusts the operator
 * (memory resolver preloaded with the account).
 */
public final class NatsOperator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UNLIMITED = "{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,"
            + "\"wildcards\":true,\"conn\":-1,\"leaf\":-1}";

    private final NKey operator;
    private final NKey account;
    private final String operatorJwt;
    private final String accountJwt;

    public NatsOperator(String name) throws IOException, GeneralSecurityException {
        operator = NKey.createOperator(RANDOM);
        account = NKey.createAccount(RANDOM);
        String issuer = new String(operator.getPublicKey());
        // issueJWT(signer, subject, name, expiration, issued at, issuer, nats claims)
        operatorJwt = JwtUtils.issueJWT(operator, issuer, name, null, JwtUtils.currentTimeSeconds(), issuer, json("{\"type\":\"operator\",\"version\":2}"));
        accountJwt = JwtUtils.issueJWT(operator, new String(account.getPublicKey()), name + "-account", null,
                JwtUtils.currentTimeSeconds(), issuer,
                json("{\"limits\":" + UNLIMITED + ",\"type\":\"account\",\"version\":2}"));
    }

    /** The nats-server configuration lines of operator mode. */
    public String serverConfig() throws GeneralSecurityException, IOException {
        return "operator: \"" + operatorJwt + "\"\nresolver: MEMORY\nresolver_preload: {\n  "
                + new String(account.getPublicKey()) + ": \"" + accountJwt + "\"\n}\n";
    }

    /** Writes a new user's credentials file (user JWT signed by the account, and the user's seed). */
    public Path writeUserCredentials(Path file, String userName) throws IOException, GeneralSecurityException {
        NKey user = NKey.createUser(RANDOM);
        String jwt = JwtUtils.issueUserJWT(account, new String(account.getPublicKey()),
                new String(user.getPublicKey()), userName);
        Files.writeString(file, "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + new String(user.getSeed()) + "\n------END USER NKEY SEED------\n");
        return file;
    }

    private static JsonSerializable json(String json) {
        return () -> json;
    }
}
