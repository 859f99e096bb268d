package io.stanee.store.jpa;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.sql.Statement;

/** The store suite on Postgres (datasource jdbc/store-postgres of the "arquillian" server). */
@ExtendWith(ArquillianExtension.class)
class PostgresJpaStoreIT extends JpaStoreContract {

    @Deployment
    static WebArchive deployment() throws Exception {
        return deployment("store-postgres", "jdbc/store-postgres", "postgres");
    }

    @Override
    void prepareDatabase(Statement statement) throws SQLException {
        statement.execute("CREATE SCHEMA IF NOT EXISTS stanee_store_it");
    }
}
