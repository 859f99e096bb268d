package io.stanee.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds a channel's limits: the global limits, overridden by every configured entry whose name (wildcards
 * allowed) matches the channel, from the widest to the most specific, so that each entry inherits what it
 * leaves unset from the closest wider one and a literal entry wins over wildcards (the Go server's rules).
 */
final class LimitsResolver {

    private final ChannelLimits global;
    private final Map<String, ChannelLimits.Override> perChannel;

    LimitsResolver(ChannelLimits global, Map<String, ChannelLimits.Override> perChannel) {
        this.global = global;
        this.perChannel = Map.copyOf(perChannel);
    }

    ChannelLimits forChannel(String channel) {
        String[] tokens = channel.split("\\.", -1);
        List<String> matching = new ArrayList<>();
        for (String pattern : perChannel.keySet()) {
            if (matches(pattern.split("\\.", -1), tokens)) {
                matching.add(pattern);
            }
        }
        matching.sort(Comparator.comparing(LimitsResolver::specificity));
        ChannelLimits limits = global;
        for (String pattern : matching) {
            limits = perChannel.get(pattern).over(limits);
        }
        return limits.normalized();
    }

    /** Literal tokens rank above '*', which ranks above '>'; earlier tokens weigh more. */
    private static String specificity(String pattern) {
        StringBuilder rank = new StringBuilder();
        for (String token : pattern.split("\\.", -1)) {
            rank.append(switch (token) {
                case ">" -> '0';
                case "*" -> '1';
                default -> '2';
            });
        }
        return rank.toString();
    }

    static boolean matches(String[] pattern, String[] tokens) {
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(">")) {
                return tokens.length > i;
            }
            if (i >= tokens.length || !(pattern[i].equals("*") || pattern[i].equals(tokens[i]))) {
                return false;
            }
        }
        return pattern.length == tokens.length;
    }
}
