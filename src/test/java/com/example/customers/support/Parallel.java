package com.example.customers.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs calls on their own threads, released together by one barrier so that they really overlap. When one call fails,
 * the others still finish, and whatever they made that can be closed (a started service instance) is closed before
 * the failure is thrown, so that nothing outlives the test.
 */
public final class Parallel {

	private static final long CALL_SECONDS = 120;

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
			Exception failure = null;
			for (Future<T> future : pending) {
				try {
					results.add(future.get(CALL_SECONDS, TimeUnit.SECONDS));
				}
				catch (ExecutionException | TimeoutException ex) {
					failure = (failure != null) ? failure : ex;
				}
			}
			if (failure != null) {
				results.forEach(Parallel::closeIfCloseable);
				throw new IllegalStateException("A parallel call failed", failure);
			}
			return results;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for parallel calls", ex);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static void closeIfCloseable(Object result) {
		if (result instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// The failure being thrown matters more than this one.
			}
		}
	}

}
