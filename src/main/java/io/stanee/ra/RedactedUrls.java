package io.stanee.ra;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Hides the user information of NATS URLs before they are logged, as the Go server's
 * {@code obfuscatePasswordInURL} does: everything between {@code ://} and {@code @} becomes {@code [REDACTED]}
 * ({@code nats://[REDACTED]@host:4222}); a URL without {@code @} is unchanged.
 */
public final class RedactedUrls {

    private RedactedUrls() {
    }

    /** One URL, in the Go server's form (a URL with {@code @} but no {@code ://} becomes "invalid url", as in Go). */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int start = url.indexOf("://");
        if (start < 0 || start > at) {
            return "invalid url";
        }
        return url.substring(0, start + 3) + "[REDACTED]" + url.substring(at);
    }

    /** A comma-separated list of URLs (a NATS cluster), each redacted. */
    public static String redactList(String urls) {
        if (urls == null) {
            return null;
        }
        return Arrays.stream(urls.split(",", -1)).map(RedactedUrls::redact).collect(Collectors.joining(","));
    }
}
