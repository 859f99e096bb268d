package io.stanee.tools;

import io.stanee.tools.CommandLine.UsageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads arguments the way Go's flag package does, for tools that mirror the Go client's examples: one or two
 * dashes, {@code -name value} or {@code -name=value}, options before or after the positional arguments, and
 * {@code --} ending the options.
 */
final class GoStyleArgs {

    /** Applies one option with its value (null for a switch). */
    interface Handler<F> {
        void apply(F flag, String name, String value) throws UsageException;
    }

    private GoStyleArgs() {
    }

    /**
     * Applies every option of {@code args[from..]} through {@code handler} and returns the positional arguments.
     * {@code lookup} returns null for an unknown name; {@code switches} are the options that take no value;
     * {@code tool} names the tool in errors.
     */
    static <F> List<String> scan(String[] args, int from, Function<String, F> lookup, Set<F> switches, String tool,
                                 Handler<F> handler) throws UsageException {
        List<String> positionals = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg.substring(arg.startsWith("--") ? 2 : 1);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            F flag = lookup.apply(name);
            if (flag == null) {
                throw new UsageException("unknown option '" + arg + "' for " + tool);
            }
            boolean takesValue = !switches.contains(flag);
            if (takesValue && value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option '" + arg + "' needs a value");
                }
                value = args[++i];
            } else if (!takesValue && value != null) {
                throw new UsageException("option '-" + name + "' takes no value");
            }
            if (takesValue && value.isEmpty()) {
                throw new UsageException("option '-" + name + "' needs a non-empty value");
            }
            handler.apply(flag, name, value);
        }
        return positionals;
    }
}
