package io.stanee.store.jpa;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON arrays of sequences the Go server writes into SubsPending.pending and .acks in caching mode
 * (Go encoding/json of a []uint64, e.g. "[12,10,11]"; NULL or "null" when empty), read with Jakarta JSON-P.
 */
final class JsonSequences {

    /** Looked up once: {@code Json.createXxx} searches the class path for a provider on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonSequences() {
    }

    /** Go writes NULL for an empty set: so does this. */
    static byte[] format(List<Long> sequences) {
        if (sequences.isEmpty()) {
            return null;
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        sequences.forEach(array::add);
        return array.build().toString().getBytes(StandardCharsets.US_ASCII);
    }

    static List<Long> parse(byte[] json) {
        List<Long> sequences = new ArrayList<>();
        if (json == null || json.length == 0) {
            return sequences;
        }
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(json))) {
            var value = reader.readValue();
            if (value instanceof JsonArray array) {
                for (JsonNumber number : array.getValuesAs(JsonNumber.class)) {
                    sequences.add(number.longValue());
                }
            }
        }
        return sequences;
    }
}
