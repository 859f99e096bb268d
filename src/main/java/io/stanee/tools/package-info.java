/**
 * Command-line tools built on the official STAN Java client; not part of the server (excluded from the WAR).
 * {@code pub} and {@code sub} mirror the Go client's {@code stan-pub} and {@code stan-sub} examples, so the
 * server can be exercised by hand or from scripts with a client nobody here wrote. Packed with the client into
 * {@code target/stanee-tools.jar}.
 */
package io.stanee.tools;
