package io.stanee.ra;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files the Go server takes for TLS: certificates (the JDK parses PEM itself) and an unencrypted
 * PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, what OpenSSL 3, mkcert and cfssl write). Other key
 * formats get a message that says how to convert them; no message quotes a file's content.
 */
final class PemFiles {

    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemFiles() {
    }

    static List<X509Certificate> certificates(String file, String option) throws NatsSettingsException {
        byte[] content = read(file, option);
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(content)).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new NatsSettingsException(option + ": " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new NatsSettingsException(option + ": " + file + " holds no readable PEM certificate ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The private key, of the algorithm of the certificate it belongs to (RSA, EC, Ed25519). */
    static PrivateKey privateKey(String file, String algorithm, String option) throws NatsSettingsException {
        String content = new String(read(file, option), StandardCharsets.US_ASCII);
        Matcher pkcs8 = PKCS8.matcher(content);
        if (!pkcs8.find()) {
            throw new NatsSettingsException(option + ": " + file + " holds no unencrypted PKCS#8 private key "
                    + "(-----BEGIN PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt -in "
                    + file + " -out key.pem");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pkcs8.group(1).trim());
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new NatsSettingsException(option + ": the private key in " + file + " is not a " + algorithm
                    + " key matching the certificate (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] read(String file, String option) throws NatsSettingsException {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new NatsSettingsException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }
}
