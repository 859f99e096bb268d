package io.stanee.it;

import io.nats.client.NKey;
import io.nats.client.Options;
import io.stanee.ra.NatsConnectionSpec;
import io.stanee.ra.NatsSecrets;
import io.stanee.ra.NatsTlsFiles;
import io.stanee.testing.NatsOperator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/** Inside Liberty: a token, and an NKey seed file (run by .ci/nats-security; the suite has NatsSecurityIT). */
class NatsSecurityScenario extends LockedDownNats {

    @Test
    void token() throws Exception {
        // taken as written: Liberty decodes {xor}/{aes} only in properties named password (a {xor} token was not)
        String token = "tok-" + random();
        serveAndCheck("token", Map.of("stan.token", token),
                "authorization { token: \"other-" + token + "\" }\n",
                "authorization { token: \"" + token + "\" }\n",
                "refused stan-ee's credentials (stan.token): ",
                new Options.Builder().token(token.toCharArray()), List.of(token));
    }

    @Test
    void nkeySeedFile() throws Exception {
        NKey stanKey = NKey.createUser(new SecureRandom());
        NKey clientKey = NKey.createUser(new SecureRandom());
        NKey otherKey = NKey.createUser(new SecureRandom());
        Path seed = Files.writeString(dir.resolve("stan.nk"), new String(stanKey.getSeed()) + "\n");
        String client = "  { nkey: " + new String(clientKey.getPublicKey()) + " }\n";
        Path clientSeed = Files.writeString(dir.resolve("client.nk"), new String(clientKey.getSeed()) + "\n");
        serveAndCheck("nkey", Map.of("stan.nkey_seed_file", seed.toString()),
                "authorization { users: [\n  { nkey: " + new String(otherKey.getPublicKey()) + " }\n" + client + "] }\n",
                "authorization { users: [\n  { nkey: " + new String(stanKey.getPublicKey()) + " }\n" + client + "] }\n",
                "refused stan-ee's credentials (stan.nkey_seed_file): ",
                new NatsConnectionSpec("x", "client", new NatsSecrets(null, null, null, clientSeed.toString(), null),
                        NatsTlsFiles.NONE).options(),
                List.of(new String(stanKey.getSeed()), new String(clientKey.getSeed())));
    }
}
