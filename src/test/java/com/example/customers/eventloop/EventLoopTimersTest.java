package com.example.customers.eventloop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/** A timer armed on an event loop fires on that loop; armed anywhere else, it still fires. */
class EventLoopTimersTest {

	private final LoopResources loops = LoopResources.create("timers-test", 1, true);

	private final EventLoopTimers timers = new EventLoopTimers(this.loops);

	@AfterEach
	void stopLoops() {
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
	}

	@Test
	void aDelayArmedOnAnEventLoopContinuesOnThatLoop() throws Exception {
		EventLoop loop = this.loops.onServer(true).next();
		CompletableFuture<Thread> continuedOn = new CompletableFuture<>();

		Thread loopThread = loop.submit(() -> {
			Mono.just("login").delayElement(Duration.ofMillis(50), this.timers)
				.subscribe(login -> continuedOn.complete(Thread.currentThread()), continuedOn::completeExceptionally);
			return Thread.currentThread();
		}).get(10, TimeUnit.SECONDS);

		assertThat(continuedOn.get(10, TimeUnit.SECONDS)).isSameAs(loopThread);
	}

	/**
	 * The met timeout guards a source that the loop itself answers after 50 ms, not through the timers under test, so
	 * the timeout's timer is really armed and must wait its 500 ms: both sit in the same loop's queue, which runs them
	 * in deadline order, however busy the machine. A timer that fired early would run the fallback.
	 */
	@Test
	void aTimeoutArmedOnAnEventLoopFiresOnThatLoopAndOneThatIsMetDoesNot() throws Exception {
		EventLoop loop = this.loops.onServer(true).next();
		CompletableFuture<String> silent = new CompletableFuture<>();
		CompletableFuture<String> prompt = new CompletableFuture<>();
		AtomicBoolean fallbackRan = new AtomicBoolean();

		Thread loopThread = loop.submit(() -> {
			Mono.<String>never().timeout(Duration.ofMillis(50), Mono.fromSupplier(() -> Thread.currentThread().getName()),
					this.timers).subscribe(silent::complete);
			Sinks.One<String> answer = Sinks.one();
			loop.schedule(() -> answer.tryEmitValue("body"), 50, TimeUnit.MILLISECONDS);
			answer.asMono()
				.timeout(Duration.ofMillis(500), Mono.fromSupplier(() -> {
					fallbackRan.set(true);
					return "timed out";
				}), this.timers)
				.subscribe(prompt::complete);
			return Thread.currentThread();
		}).get(10, TimeUnit.SECONDS);

		assertThat(silent.get(10, TimeUnit.SECONDS)).isEqualTo(loopThread.getName());
		assertThat(prompt.get(10, TimeUnit.SECONDS)).isEqualTo("body");
		assertThat(onLoopAfter(loop, Duration.ofMillis(600), fallbackRan::get)).as("the met timeout's fallback ran")
			.isFalse();
	}

	@Test
	void aTimerDisposedBeforeItsTimeNeverRuns() throws Exception {
		EventLoop loop = this.loops.onServer(true).next();
		AtomicBoolean ran = new AtomicBoolean();

		loop.submit(() -> this.timers.schedule(() -> ran.set(true), 50, TimeUnit.MILLISECONDS).dispose())
			.get(10, TimeUnit.SECONDS);

		assertThat(onLoopAfter(loop, Duration.ofMillis(100), ran::get)).as("the disposed timer ran").isFalse();
	}

	@Test
	void aDelayArmedOffTheEventLoopsStillFires() {
		assertThat(Mono.just("login").delayElement(Duration.ofMillis(20), this.timers).block(Duration.ofSeconds(10)))
			.isEqualTo("login");
	}

	/** Reads a value on the loop once the given time has passed there: after every timer due before it has run. */
	private static <T> T onLoopAfter(EventLoop loop, Duration delay, Callable<T> read) throws Exception {
		return loop.schedule(read, delay.toMillis(), TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
	}

}
