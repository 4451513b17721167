package com.example.customers.db;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The knobs of the service's way to the database.
 *
 * @param startupWait how long start-up waits for the database to become reachable, and then for the migration lock,
 * before giving up; and for how long an interrupted migration is run again
 * @param statementTimeout PostgreSQL's {@code statement_timeout} for the service's connections: a statement that
 * runs or waits longer is cancelled and rolled back (503); one second later, a connection that has not answered at
 * all is given up and closed (see {@link StatementDeadlines})
 * @param memberTimeout with a cluster's URL ({@code r2dbc:postgresql:failover://...?targetServerType=primary}), how
 * long each member gets to accept a new connection and say whether it is the primary, before the next is tried (see
 * {@link PrimaryOfCluster})
 */
@ConfigurationProperties("customers")
public record DatabaseProperties(
		@DefaultValue("30s") Duration startupWait,
		@DefaultValue("5s") Duration statementTimeout,
		@DefaultValue("2s") Duration memberTimeout) {
}
