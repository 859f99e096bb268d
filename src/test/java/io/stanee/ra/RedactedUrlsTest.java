package io.stanee.ra;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Go server's obfuscatePasswordInURL, on the forms a NATS URL takes. */
class RedactedUrlsTest {

    @Test
    void userInformationBecomesRedactedAsInGo() {
        assertEquals("nats://[REDACTED]@127.0.0.1:4222", RedactedUrls.redact("nats://stan:s3cret@127.0.0.1:4222"));
        assertEquals("tls://[REDACTED]@nats.example.com:4222", RedactedUrls.redact("tls://mytoken@nats.example.com:4222"));
        assertEquals("nats://127.0.0.1:4222", RedactedUrls.redact("nats://127.0.0.1:4222"));
        assertEquals("invalid url", RedactedUrls.redact("stan:s3cret@127.0.0.1:4222"));
    }

    @Test
    void everyUrlOfAClusterListIsRedacted() {
        assertEquals("nats://[REDACTED]@a:4222,nats://b:4222,nats://[REDACTED]@c:4222",
                RedactedUrls.redactList("nats://u:p@a:4222,nats://b:4222,nats://u:p@c:4222"));
    }

    @Test
    void anExplanationNeverQuotesTheSecretsOrTheUrlsUserInformation() {
        NatsConnectionSpec spec = new NatsConnectionSpec("nats://u:pw-in-url@127.0.0.1:4222", "x",
                new NatsSecrets("u", "the-password", null, null, null), NatsTlsFiles.NONE);
        String explained = spec.explain(new java.io.IOException(
                "Unable to connect to nats://u:pw-in-url@127.0.0.1:4222 with the-password"));
        assertEquals("NATS not reachable at nats://[REDACTED]@127.0.0.1:4222 (Unable to connect to "
                + "nats://[REDACTED]@127.0.0.1:4222 with [REDACTED])", explained);
    }
}
