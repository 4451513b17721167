package com.example.customers.eventloop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/** A timer armed on an event loop fires on that loop; armed anywhere else, it still fires. */
class EventLoopTimersTest {

	private final LoopResources loops = LoopResources.create("timers-test", 1, true);

	private final EventLoopTimers timers = new EventLoopTimers();

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

	@Test
	void aTimeoutArmedOnAnEventLoopFiresOnThatLoopAndOneThatIsMetDoesNot() throws Exception {
		EventLoop loop = this.loops.onServer(true).next();
		CompletableFuture<String> silent = new CompletableFuture<>();
		CompletableFuture<String> prompt = new CompletableFuture<>();

		Thread loopThread = loop.submit(() -> {
			Mono.<String>never().timeout(Duration.ofMillis(50), Mono.fromSupplier(() -> Thread.currentThread().getName()),
					this.timers).subscribe(silent::complete);
			Mono.just("body").timeout(Duration.ofMillis(50), Mono.just("timed out"), this.timers).subscribe(prompt::complete);
			return Thread.currentThread();
		}).get(10, TimeUnit.SECONDS);

		assertThat(silent.get(10, TimeUnit.SECONDS)).isEqualTo(loopThread.getName());
		assertThat(prompt.get(10, TimeUnit.SECONDS)).isEqualTo("body");
	}

	@Test
	void aDelayArmedOffTheEventLoopsStillFires() {
		assertThat(Mono.just("login").delayElement(Duration.ofMillis(20), this.timers).block(Duration.ofSeconds(10)))
			.isEqualTo("login");
	}

}
