package io.stanee.monitor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What /health says of a datasource failure: its kind and SQLState, never the driver's text. */
class DatabaseHealthDescriptionTest {

    @Test
    void aFailureIsDescribedByItsSqlStateClassOnly() {
        assertEquals("the database refused the user or password (SQLState 28P01); see messages.log",
                DatabaseHealthCheck.describe("28P01"));
        assertEquals("cannot connect to the database (SQLState 08001); see messages.log",
                DatabaseHealthCheck.describe("08001"));
        assertEquals("the datasource hands out no connection; see messages.log", DatabaseHealthCheck.describe(null));
    }
}
