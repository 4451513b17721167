package com.example.customers.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs calls on their own threads, released together by one barrier so that they really overlap. */
public final class Parallel {

	private Parallel() {
	}

	public static <T> List<T> run(int count, IntFunction<T> call) {
		ExecutorService threads = Executors.newFixedThreadPool(count);
		try {
			CyclicBarrier start = new CyclicBarrier(count);
			List<Future<T>> pending = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				pending.add(threads.submit(() -> {
					start.await();
					return call.apply(index);
				}));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : pending) {
				results.add(future.get(120, TimeUnit.SECONDS));
			}
			return results;
		}
		catch (Exception ex) {
			throw new IllegalStateException("A parallel call failed", ex);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
