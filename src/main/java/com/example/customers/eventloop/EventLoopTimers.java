package com.example.customers.eventloop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

import org.springframework.stereotype.Component;

/**
 * Timers on the event loop that arms them: the race window and the request-body timeout. Netty keeps a loop's timers
 * in a plain priority queue that only the loop touches, so arming and cancelling one take no lock and wake no thread,
 * and what follows the timer runs on the loop that serves the request and its connections. Reactor's default timer
 * ({@link Schedulers#parallel()}) takes a lock for each, often wakes its own thread, and runs what follows there,
 * from which every query hops back to an event loop. The loop is found through Netty's public API, among the shared
 * loops ({@link SharedEventLoops}) the one whose thread is asking; off those loops, the default timer is used.
 */
@Component
public class EventLoopTimers implements Scheduler {

	private final Scheduler elsewhere = Schedulers.parallel();

	private final LoopResources loopResources;

	/** The loops' executors, looked up once they exist (the server starts them). */
	private volatile @Nullable List<EventExecutor> loops;

	public EventLoopTimers(LoopResources loopResources) {
		this.loopResources = loopResources;
	}

	@Override
	public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
		EventExecutor loop = currentLoop();
		if (loop == null) {
			return this.elsewhere.schedule(task, delay, unit);
		}
		ScheduledFuture<?> timer = loop.schedule(task, delay, unit);
		return () -> timer.cancel(false);
	}

	@Override
	public Disposable schedule(Runnable task) {
		return this.elsewhere.schedule(task);
	}

	@Override
	public Worker createWorker() {
		return this.elsewhere.createWorker();
	}

	/** The shared event loop whose thread is asking, or null off those loops. */
	public @Nullable EventExecutor currentLoop() {
		for (EventExecutor loop : loops()) {
			if (loop.inEventLoop()) {
				return loop;
			}
		}
		return null;
	}

	private List<EventExecutor> loops() {
		List<EventExecutor> known = this.loops;
		if (known == null) {
			List<EventExecutor> found = new ArrayList<>();
			this.loopResources.onServer(true).forEach(found::add);
			known = List.copyOf(found);
			this.loops = known;
		}
		return known;
	}

}
