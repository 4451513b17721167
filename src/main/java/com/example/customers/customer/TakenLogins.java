package com.example.customers.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import com.example.customers.eventloop.EventLoopTimers;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.stereotype.Component;

/**
 * The existence check of creates, one statement for all the logins whose checks start in the same turn of an event
 * loop: a loop reads every connection that has data, runs each request's chain up to its check, and only then runs
 * its queued tasks, the first of which sends the turn's logins in one statement (one index probe each). Under load that
 * is one borrow and one round trip for many creates instead of one each. The check stays a fast path only: each
 * insert is still its own statement, so the unique constraint still decides between logins that raced, in the same
 * batch or not. A lone check, or one off the event loops, is the plain statement. The batch's statement belongs to
 * no single request: it runs for all of them, and a check whose client has left is simply not answered.
 */
@Component
class TakenLogins {

	private final CustomerRepository customers;

	private final EventLoopTimers loops;

	/** The batch being gathered on this loop in this turn; only the loop's own thread touches it. */
	private final FastThreadLocal<Batch> gathering = new FastThreadLocal<>();

	TakenLogins(CustomerRepository customers, EventLoopTimers loops) {
		this.customers = customers;
		this.loops = loops;
	}

	Mono<Boolean> isTaken(String login) {
		return Mono.defer(() -> {
			EventExecutor loop = this.loops.currentLoop();
			Batch batch = (loop != null) ? batchOn(loop) : null;
			return (batch != null) ? Mono.create(sink -> batch.add(login, sink)) : this.customers.existsByLogin(login);
		});
	}

	/**
	 * This turn's batch, opened with its first check. Null when the loop refuses the task that would send it (it is
	 * shutting down): that check goes alone, and no batch is left behind for later checks to wait on forever.
	 */
	private @Nullable Batch batchOn(EventExecutor loop) {
		Batch batch = this.gathering.get();
		if (batch != null) {
			return batch;
		}
		Batch opened = new Batch();
		try {
			loop.execute(() -> {
				this.gathering.remove();
				send(opened);
			});
		}
		catch (RejectedExecutionException shuttingDown) {
			return null;
		}
		this.gathering.set(opened);
		return opened;
	}

	private void send(Batch batch) {
		if (batch.logins.size() == 1) {
			checkAlone(batch.logins.get(0), batch.waiting.get(0));
			return;
		}
		this.customers.takenAmong(batch.logins.toArray(String[]::new))
			.subscribe(batch::answer, failed -> eachAlone(batch));
	}

	/**
	 * A batch's statement failed (its connection was cut, say): each of its checks is tried alone, so that one failure
	 * answers no more requests with an error than it would have without batching.
	 */
	private void eachAlone(Batch batch) {
		for (int i = 0; i < batch.logins.size(); i++) {
			checkAlone(batch.logins.get(i), batch.waiting.get(i));
		}
	}

	private void checkAlone(String login, MonoSink<Boolean> check) {
		this.customers.existsByLogin(login).subscribe(check::success, check::error);
	}

	/** The logins of one turn and their waiting checks, in the same order; a login may come twice. */
	private static final class Batch {

		private final List<String> logins = new ArrayList<>();

		private final List<MonoSink<Boolean>> waiting = new ArrayList<>();

		void add(String login, MonoSink<Boolean> sink) {
			this.logins.add(login);
			this.waiting.add(sink);
		}

		void answer(Set<String> taken) {
			for (int i = 0; i < this.logins.size(); i++) {
				this.waiting.get(i).success(taken.contains(this.logins.get(i)));
			}
		}

	}

}
