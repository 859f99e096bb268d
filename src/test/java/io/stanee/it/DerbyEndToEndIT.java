package io.stanee.it;

import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end scenario on the zero set-up default: embedded Derby, schema created by stan-ee itself. */
class DerbyEndToEndIT extends EndToEndScenario {

    @Override
    TestDatabase database() {
        return TestDatabase.DERBY;
    }

    @BeforeAll
    void start() throws Exception {
        startOnEmptyStore();
    }
}
