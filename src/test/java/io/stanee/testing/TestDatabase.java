package io.stanee.testing;

import io.stanee.store.jpa.SqlScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real database for a test run: the embedded Derby default, or a scratch database on the local PostgreSQL or
 * MariaDB server, created empty and given the schema by the DBA scripts in sql/ exactly as an operator would.
 */
public enum TestDatabase {

    DERBY(null, null, null),
    POSTGRES("jdbc:postgresql://127.0.0.1:5432/", "postgres", "postgres.db.sql"),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/", "root", "mysql.db.sql");

    public static final String NAME = "stanee_it";

    private final String serverUrl;
    private final String user;
    private final String script;

    TestDatabase(String serverUrl, String user, String script) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.script = script;
    }

    /** Drops and recreates the scratch database; with {@code withSchema}, runs the DBA script in it. */
    public void recreate(boolean withSchema) throws SQLException, IOException {
        recreate(NAME, withSchema);
    }

    /** As {@link #recreate(boolean)}, for a scratch database of another name (a second server's own store). */
    public void recreate(String name, boolean withSchema) throws SQLException, IOException {
        if (this == DERBY) {
            throw new IllegalStateException("the Derby database lives in the Liberty server: delete it there");
        }
        String admin = this == POSTGRES ? serverUrl + "postgres" : serverUrl;
        try (Connection connection = DriverManager.getConnection(admin, user, "");
             Statement statement = connection.createStatement()) {
            if (this == POSTGRES) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } else {
                statement.execute("DROP DATABASE IF EXISTS " + name);
            }
            statement.execute("CREATE DATABASE " + name);
        }
        if (withSchema) {
            runScript(name, script);
        }
    }

    public void runScript(String scriptName) throws SQLException, IOException {
        runScript(NAME, scriptName);
    }

    private void runScript(String name, String scriptName) throws SQLException, IOException {
        try (Connection connection = connect(name); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(Files.readString(Path.of("sql", scriptName)))) {
                statement.execute(sql);
            }
        }
    }

    public Connection connect() throws SQLException {
        return connect(NAME);
    }

    public Connection connect(String name) throws SQLException {
        return DriverManager.getConnection(serverUrl + name, user, "");
    }

    /** The Liberty variables that point stan-ee at this database. */
    public Map<String, String> libertyVariables(LibertyServer liberty) {
        Map<String, String> variables = new LinkedHashMap<>();
        switch (this) {
            case DERBY -> {
                variables.put("stan.db", "derby");
                variables.put("stan.derby.dir", liberty.derbyDirectory().toString());
            }
            case POSTGRES -> {
                variables.put("stan.db", "postgres");
                variables.put("stan.db.name", NAME);
            }
            case MARIADB -> {
                variables.put("stan.db", "mysql");
                variables.put("stan.db.name", NAME);
            }
        }
        return variables;
    }
}
