/**
 * The server's options, read through MicroProfile Config (server.xml variables, bootstrap.properties, the
 * environment, ...), named after the Go server's options with a {@code stan.} prefix, validated at start-up.
 */
package io.stanee.config;
