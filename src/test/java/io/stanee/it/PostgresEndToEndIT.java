package io.stanee.it;

import io.stanee.testing.TestDatabase;

/** The end-to-end scenario on PostgreSQL (local server, scratch database, schema from sql/postgres.db.sql). */
class PostgresEndToEndIT extends SqlServerEndToEndScenario {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    String script() {
        return "postgres.db.sql";
    }
}
