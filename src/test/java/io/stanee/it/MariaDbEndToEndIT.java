package io.stanee.it;

import io.stanee.testing.TestDatabase;

import java.util.Map;

/**
 * The end-to-end scenario on MariaDB (local server, scratch database, schema from sql/mysql.db.sql), with the
 * store in no_caching mode (the other scenarios use the default caching mode).
 */
class MariaDbEndToEndIT extends SqlServerEndToEndScenario {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    Map<String, String> variables() {
        return Map.of("stan.sql_no_caching", "true");
    }

    @Override
    String script() {
        return "mysql.db.sql";
    }
}
