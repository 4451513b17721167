package com.example.customers.db;

import java.time.Duration;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A connection that hands every call to the driver's, for the wrappers that the pool's connections pass through
 * ({@link StatementDeadlines}, the event loops' {@code ConnectionsWithoutHop}): each changes only what it needs. It
 * unwraps to the connection it wraps, so that the driver's own stays reachable (LISTEN/NOTIFY, COPY).
 */
public abstract class ForwardingConnection implements Connection, Wrapped<Connection> {

	protected final Connection connection;

	protected ForwardingConnection(Connection connection) {
		this.connection = connection;
	}

	/** What every call that waits for the database answers with: the driver's own publisher, by default. */
	protected <T> Publisher<T> around(Publisher<T> waiting) {
		return waiting;
	}

	@Override
	public Statement createStatement(String sql) {
		return this.connection.createStatement(sql);
	}

	@Override
	public Batch createBatch() {
		return this.connection.createBatch();
	}

	@Override
	public Publisher<Void> beginTransaction() {
		return around(this.connection.beginTransaction());
	}

	@Override
	public Publisher<Void> beginTransaction(TransactionDefinition definition) {
		return around(this.connection.beginTransaction(definition));
	}

	@Override
	public Publisher<Void> commitTransaction() {
		return around(this.connection.commitTransaction());
	}

	@Override
	public Publisher<Void> rollbackTransaction() {
		return around(this.connection.rollbackTransaction());
	}

	@Override
	public Publisher<Void> createSavepoint(String name) {
		return around(this.connection.createSavepoint(name));
	}

	@Override
	public Publisher<Void> releaseSavepoint(String name) {
		return around(this.connection.releaseSavepoint(name));
	}

	@Override
	public Publisher<Void> rollbackTransactionToSavepoint(String name) {
		return around(this.connection.rollbackTransactionToSavepoint(name));
	}

	@Override
	public Publisher<Void> setAutoCommit(boolean autoCommit) {
		return around(this.connection.setAutoCommit(autoCommit));
	}

	@Override
	public Publisher<Void> setLockWaitTimeout(Duration timeout) {
		return around(this.connection.setLockWaitTimeout(timeout));
	}

	@Override
	public Publisher<Void> setStatementTimeout(Duration timeout) {
		return around(this.connection.setStatementTimeout(timeout));
	}

	@Override
	public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
		return around(this.connection.setTransactionIsolationLevel(level));
	}

	@Override
	public Publisher<Void> close() {
		return this.connection.close();
	}

	@Override
	public Publisher<Boolean> validate(ValidationDepth depth) {
		return this.connection.validate(depth);
	}

	@Override
	public boolean isAutoCommit() {
		return this.connection.isAutoCommit();
	}

	@Override
	public ConnectionMetadata getMetadata() {
		return this.connection.getMetadata();
	}

	@Override
	public IsolationLevel getTransactionIsolationLevel() {
		return this.connection.getTransactionIsolationLevel();
	}

	@Override
	public Connection unwrap() {
		return this.connection;
	}

}
