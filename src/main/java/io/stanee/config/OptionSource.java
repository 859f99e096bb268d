package io.stanee.config;

import org.eclipse.microprofile.config.Config;

import java.util.Map;
import java.util.Optional;

/** Where option values come from: MicroProfile Config in the server, a map in the tests. Values are raw text. */
interface OptionSource {

    Optional<String> value(String name);

    Iterable<String> names();

    static OptionSource of(Config config) {
        return new OptionSource() {
            @Override
            public Optional<String> value(String name) {
                return config.getOptionalValue(name, String.class);
            }

            @Override
            public Iterable<String> names() {
                return config.getPropertyNames();
            }
        };
    }

    static OptionSource of(Map<String, String> values) {
        return new OptionSource() {
            @Override
            public Optional<String> value(String name) {
                return Optional.ofNullable(values.get(name));
            }

            @Override
            public Iterable<String> names() {
                return values.keySet();
            }
        };
    }
}
