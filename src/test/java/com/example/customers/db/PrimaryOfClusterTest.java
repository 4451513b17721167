package com.example.customers.db;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The way to a cluster's primary, against members that take their time, in virtual time: no test here waits for a
 * clock, and none depends on how fast the machine is.
 */
class PrimaryOfClusterTest {

	private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void aConnectionWhoseCheckTheCallerCancelsIsClosed() {
		FakeMember frozen = new FakeMember(Duration.ZERO, null);
		PrimaryOfCluster cluster = new PrimaryOfCluster(List.of(frozen.member("pg1")), MEMBER_TIMEOUT);

		StepVerifier.withVirtualTime(() -> Mono.from(cluster.create()))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(500))
			.thenCancel()
			.verify(Duration.ofSeconds(10));

		assertThat(frozen.opened).hasValue(1);
		assertThat(frozen.closed).as("closed, when the pool gave up during the primary check").hasValue(1);
	}

	@Test
	void eachMembersWholeAttemptIsBoundedOnceConnectAndCheckTogether() {
		// 1.5 s to connect and 1.5 s to answer: each within the bound, the two together not.
		FakeMember slow = new FakeMember(Duration.ofMillis(1500), Duration.ofMillis(1500));
		FakeMember primary = new FakeMember(Duration.ZERO, Duration.ZERO);
		PrimaryOfCluster cluster = new PrimaryOfCluster(List.of(slow.member("pg1"), primary.member("pg2")),
				MEMBER_TIMEOUT);

		StepVerifier.withVirtualTime(() -> Mono.from(cluster.create()))
			.expectSubscription()
			.thenAwait(MEMBER_TIMEOUT)
			.expectNextCount(1)
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		assertThat(primary.opened).as("the next member, once pg1's whole attempt ran out").hasValue(1);
		assertThat(slow.closed).as("pg1's connection, made but not answered in time").hasValue(1);
	}

	/** A member that connects after a delay and answers the primary check "off" after another, or never (null). */
	private static final class FakeMember {

		private final Duration connectDelay;

		private final Duration answerDelay;

		private final AtomicInteger opened = new AtomicInteger();

		private final AtomicInteger closed = new AtomicInteger();

		FakeMember(Duration connectDelay, Duration answerDelay) {
			this.connectDelay = connectDelay;
			this.answerDelay = answerDelay;
		}

		PrimaryOfCluster.Member member(String address) {
			return new PrimaryOfCluster.Member(address, new ConnectionFactory() {

				@Override
				public Publisher<? extends Connection> create() {
					return Mono.delay(FakeMember.this.connectDelay).map(tick -> {
						FakeMember.this.opened.incrementAndGet();
						return connection();
					});
				}

				@Override
				public ConnectionFactoryMetadata getMetadata() {
					return () -> "fake";
				}

			});
		}

		/** Only what the primary check and a close need; anything else would be a call this test did not expect. */
		private Connection connection() {
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, arguments) -> switch (method.getName()) {
						case "createStatement" -> statement();
						case "close" -> Mono.fromRunnable(this.closed::incrementAndGet);
						case "toString" -> "a fake member's connection";
						case "hashCode" -> System.identityHashCode(proxy);
						case "equals" -> proxy == arguments[0];
						default -> throw new UnsupportedOperationException(method.getName());
					});
		}

		private Statement statement() {
			return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Statement.class },
					(proxy, method, arguments) -> switch (method.getName()) {
						case "execute" -> (this.answerDelay != null) ? Mono.delay(this.answerDelay).map(tick -> readOnly("off"))
								: Mono.never();
						default -> throw new UnsupportedOperationException(method.getName());
					});
		}

		private static Result readOnly(String value) {
			return (Result) Proxy.newProxyInstance(FakeMember.class.getClassLoader(), new Class<?>[] { Result.class },
					(proxy, method, arguments) -> switch (method.getName()) {
						case "map" -> mapped(arguments[0], value);
						default -> throw new UnsupportedOperationException(method.getName());
					});
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static Publisher<?> mapped(Object mapping, String value) {
			io.r2dbc.spi.Readable row = (io.r2dbc.spi.Readable) Proxy.newProxyInstance(FakeMember.class.getClassLoader(),
					new Class<?>[] { io.r2dbc.spi.Row.class }, (proxy, method, arguments) -> value);
			return Mono.just(((java.util.function.Function) mapping).apply(row));
		}

	}

}
