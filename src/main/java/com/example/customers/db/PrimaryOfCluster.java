package com.example.customers.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Connects to whichever member of a cluster is the primary now, trying the members one after another, each for at
 * most {@code memberTimeout}, the one that was primary last time first.
 * <p>
 * r2dbc-postgresql's own {@code failover} connection (1.1) tries the members in the URL's order and gives each as long
 * as it takes: a member whose machine still accepts TCP but whose PostgreSQL answers nothing (frozen, or stuck on its
 * disk) holds every new connection until the pool gives up, although another member was promoted long ago, and the
 * service answers 503 for as long as that member stays frozen. Its connect timeout bounds only the TCP handshake.
 * Here each member's whole attempt (TCP, start-up, the question whether it is the primary) is bounded, and a frozen
 * old primary costs each new connection {@code memberTimeout} at most, until a connection to the new one succeeds.
 */
final class PrimaryOfCluster implements ConnectionFactory {

	private final List<Member> members;

	private final Duration memberTimeout;

	private volatile int lastPrimary;

	PrimaryOfCluster(List<Member> members, Duration memberTimeout) {
		this.members = List.copyOf(members);
		this.memberTimeout = memberTimeout;
	}

	/** One member of the cluster: where it is, and a connection factory for it alone. */
	record Member(String address, ConnectionFactory connections) {
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.defer(() -> {
			int first = this.lastPrimary;
			Map<String, Throwable> failures = new ConcurrentHashMap<>();
			return Flux.range(0, this.members.size())
				.map(offset -> (first + offset) % this.members.size())
				.concatMap(index -> primaryAt(index).onErrorResume(error -> {
					failures.put(this.members.get(index).address(), error);
					return Mono.empty();
				}))
				.next()
				.switchIfEmpty(Mono.error(() -> noPrimary(failures)));
		});
	}

	/**
	 * A connection to the member at {@code index} if it is the primary; empty if it is a standby. One bound covers the
	 * whole attempt, connecting and asking together. A connection made but not handed on (a standby, a failed or
	 * late answer, or a caller that gave up: the pool cancels when its acquire time runs out) is closed, never left
	 * open on the member.
	 */
	private Mono<Connection> primaryAt(int index) {
		Member member = this.members.get(index);
		AtomicReference<Connection> notHandedOn = new AtomicReference<>();
		return Mono.<Connection>from(member.connections().create())
			.doOnNext(notHandedOn::set)
			.flatMap(connection -> isPrimary(connection))
			.flatMap(primary -> primary ? Mono.justOrEmpty(notHandedOn.getAndSet(null))
					: Mono.fromRunnable(() -> closeIfHeld(notHandedOn)))
			.timeout(this.memberTimeout)
			.doOnNext(connection -> this.lastPrimary = index)
			.doOnError(error -> closeIfHeld(notHandedOn))
			.doOnCancel(() -> closeIfHeld(notHandedOn));
	}

	private static void closeIfHeld(AtomicReference<Connection> held) {
		Connection connection = held.getAndSet(null);
		if (connection != null) {
			Mono.from(connection.close()).onErrorComplete().subscribe();
		}
	}

	/** What r2dbc-postgresql and pgjdbc ask too: a standby's transactions are read-only. */
	private static Mono<Boolean> isPrimary(Connection connection) {
		return Flux.from(connection.createStatement("SHOW transaction_read_only").execute())
			.concatMap(result -> result.map(row -> row.get(0, String.class)))
			.next()
			.map("off"::equalsIgnoreCase);
	}

	private R2dbcNonTransientResourceException noPrimary(Map<String, Throwable> failures) {
		String members = this.members.stream()
			.map(member -> member.address() + (failures.containsKey(member.address())
					? " (" + describe(failures.get(member.address())) + ")" : " (standby)"))
			.collect(Collectors.joining(", "));
		R2dbcNonTransientResourceException error = new R2dbcNonTransientResourceException(
				"No member of the cluster is the primary: " + members);
		failures.values().forEach(error::addSuppressed);
		return error;
	}

	private String describe(Throwable failure) {
		return (failure instanceof TimeoutException)
				? "no answer within " + this.memberTimeout.toMillis() + " ms" : failure.getClass().getSimpleName();
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.members.get(0).connections().getMetadata();
	}

}
