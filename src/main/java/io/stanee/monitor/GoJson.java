package io.stanee.monitor;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Map;

/**
 * The Go server's JSON: {@code json.MarshalIndent(v, "", "  ")} of a JSON-P tree (fields in insertion order,
 * {@code []} and {@code {}} when empty, Go's HTML-safe string escapes), and Go's time and duration texts.
 */
final class GoJson {

    /** Go's {@code time.RFC3339Nano}, what {@code time.Time} marshals to: trailing zeros of the fraction cut. */
    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    private GoJson() {
    }

    static String time(Instant instant) {
        return RFC3339_NANO.format(instant.atZone(ZoneId.systemDefault()));
    }

    /** The Go server's {@code myUptime}: whole seconds, as 1y2d3h4m5s without the leading zero units. */
    static String uptime(java.time.Duration elapsed) {
        long secs = Math.max(0, elapsed.getSeconds());
        long mins = secs / 60;
        long hours = mins / 60;
        long days = hours / 24;
        long years = days / 365;
        if (years > 0) {
            return String.format("%dy%dd%dh%dm%ds", years, days % 365, hours % 24, mins % 60, secs % 60);
        }
        if (days > 0) {
            return String.format("%dd%dh%dm%ds", days, hours % 24, mins % 60, secs % 60);
        }
        if (hours > 0) {
            return String.format("%dh%dm%ds", hours, mins % 60, secs % 60);
        }
        if (mins > 0) {
            return String.format("%dm%ds", mins, secs % 60);
        }
        return secs + "s";
    }

    static String indent(JsonValue value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out, "");
        return out.toString();
    }

    private static void write(JsonValue value, StringBuilder out, String indent) {
        switch (value.getValueType()) {
            case OBJECT -> {
                JsonObject object = (JsonObject) value;
                if (object.isEmpty()) {
                    out.append("{}");
                    return;
                }
                String inner = indent + "  ";
                out.append("{\n");
                int i = 0;
                for (Map.Entry<String, JsonValue> field : object.entrySet()) {
                    out.append(inner);
                    string(field.getKey(), out);
                    out.append(": ");
                    write(field.getValue(), out, inner);
                    out.append(++i < object.size() ? ",\n" : "\n");
                }
                out.append(indent).append('}');
            }
            case ARRAY -> {
                JsonArray array = (JsonArray) value;
                if (array.isEmpty()) {
                    out.append("[]");
                    return;
                }
                String inner = indent + "  ";
                out.append("[\n");
                for (int i = 0; i < array.size(); i++) {
                    out.append(inner);
                    write(array.get(i), out, inner);
                    out.append(i + 1 < array.size() ? ",\n" : "\n");
                }
                out.append(indent).append(']');
            }
            case STRING -> string(((JsonString) value).getString(), out);
            default -> out.append(value); // numbers, true, false, null
        }
    }

    /** Go's encoding/json string: quotes, backslashes and control characters escaped, and also <, >, &. */
    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
