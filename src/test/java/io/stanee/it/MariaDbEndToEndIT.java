package io.stanee.it;

import io.stanee.testing.TestDatabase;

/** The end-to-end scenario on MariaDB (local server, scratch database, schema from sql/mysql.db.sql). */
class MariaDbEndToEndIT extends SqlServerEndToEndScenario {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    String script() {
        return "mysql.db.sql";
    }
}
