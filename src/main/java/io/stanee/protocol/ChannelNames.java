package io.stanee.protocol;

/**
 * The Go server's rules for channel names: a literal name (what clients publish and subscribe to) has no
 * wildcards, no empty tokens and no '/'; a name in the limits configuration may hold wildcards as whole tokens.
 */
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

    /** A name where '*' and '>' are whole tokens and '>' comes last. */
    public static boolean isValidWithWildcards(String name) {
        if (name == null || name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || name.indexOf('/') >= 0) {
            return false;
        }
        String[] tokens = name.split("\\.");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if ((token.contains("*") || token.contains(">")) && token.length() > 1) {
                return false;
            }
            if (token.equals(">") && i != tokens.length - 1) {
                return false;
            }
        }
        return true;
    }
}
