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

/** Inside Liberty: user and {aes}-encoded password, and credentials (JWT + NKey) over mutual TLS. */
class NatsSecurityIT extends LockedDownNats {

    @Test
    void userAndEncodedPassword() throws Exception {
        String password = "pw-" + random();
        String clientPassword = "cpw-" + random();
        // the key is the operator's (wlp.password.encryption.key, e.g. in bootstrap.properties or server.env)
        String key = "key-" + random();
        Map<String, String> stan = Map.of("stan.user", "stan", "stan.password", aesEncoded(password, key),
                "wlp.password.encryption.key", key);
        String users = "  { user: client, password: \"" + clientPassword + "\" }\n";
        serveAndCheck("user-password", stan,
                "authorization { users: [\n  { user: stan, password: \"other-" + password + "\" }\n" + users + "] }\n",
                "authorization { users: [\n  { user: stan, password: \"" + password + "\" }\n" + users + "] }\n",
                "refused stan-ee's credentials (stan.user, stan.password): ",
                new Options.Builder().userInfo("client", clientPassword), List.of(password, clientPassword));
    }

    @Test
    void credentialsOverMutualTls() throws Exception {
        NatsOperator operator = new NatsOperator("stan-ee-it");
        NatsOperator stranger = new NatsOperator("stranger");
        Path creds = operator.writeUserCredentials(dir.resolve("stan.creds"), "stan-ee");
        Path clientCreds = operator.writeUserCredentials(dir.resolve("client.creds"), "client");
        Map<String, String> stan = Map.of("stan.credentials", creds.toString(),
                "stan.tls_client_cert", tls.clientCert().toString(), "stan.tls_client_key", tls.clientKey().toString(),
                "stan.tls_client_cacert", tls.caCert().toString());
        NatsTlsFiles clientTls = new NatsTlsFiles(false, tls.clientCert().toString(), tls.clientKey().toString(),
                tls.caCert().toString(), null, null, null, null);
        serveAndCheck("creds-mtls", stan,
                stranger.serverConfig() + tls.natsServerBlock(true),
                operator.serverConfig() + tls.natsServerBlock(true),
                "refused stan-ee's credentials (stan.credentials): ",
                new NatsConnectionSpec("x", "client", new NatsSecrets(null, null, null, null, clientCreds.toString()),
                        clientTls).options(),
                secrets(creds, clientCreds, tls.clientKey()));
    }
}
