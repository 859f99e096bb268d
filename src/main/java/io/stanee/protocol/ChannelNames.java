package io.stanee.protocol;

/** The Go server's rule for a literal channel name (no wildcards, no empty tokens, no '/'). */
public final class ChannelNames {

    private ChannelNames() {
    }

    public static boolean isValidLiteral(String name) {
        if (name == null || name.isEmpty() || name.startsWith(".") || name.endsWith(".")
                || name.contains("..") || name.indexOf('/') >= 0) {
            return false;
        }
        return name.indexOf('*') < 0 && name.indexOf('>') < 0;
    }
}
