package io.stanee.config;

/**
 * An option whose value stan-ee cannot run with. The message names the option and the value, in the form of the
 * Go server's flag errors ({@code invalid value "abc" for flag -hb_interval: ...}), with the Go server's own
 * words after the colon where it has a check of its own.
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private final String option;
    private final String value;

    public InvalidOptionException(String option, String value, String why) {
        super(String.format("stan: invalid value \"%s\" for option %s: %s", value, option, why));
        this.option = option;
        this.value = value;
    }

    public String option() {
        return option;
    }

    public String value() {
        return value;
    }
}
