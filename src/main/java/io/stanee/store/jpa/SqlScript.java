package io.stanee.store.jpa;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the DBA scripts of {@code sql/} into statements. The scripts keep one rule so that no SQL parser is
 * needed: comments are whole lines starting with {@code --}, and each statement ends with ';' at the end of a line.
 */
public final class SqlScript {

    private SqlScript() {
    }

    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().trim();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }
}
