import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Load shapes wrk cannot make, on Reactor Netty's client. Run by bench/run.sh (java Burst.java ...).
 *
 * burst URL N PREFIX: N creates of distinct logins, each on its own new connection, all sent at once; the count and
 * the 99th percentile of the time to its answer, per status.
 * rounds URL ROUNDS SIZE PREFIX: ROUNDS times, SIZE simultaneous creates of one login.
 * A request without an answer in 60 s counts as status 0 (an error).
 */
public class Burst {

	public static void main(String[] args) {
		HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
			.baseUrl(args[1])
			.headers(headers -> headers.set("Content-Type", "application/json"))
			.responseTimeout(Duration.ofSeconds(60));
		if (args[0].equals("burst")) {
			burst(client, Integer.parseInt(args[2]), args[3]);
		}
		else {
			rounds(client, Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
		}
	}

	private static void burst(HttpClient client, int requests, String prefix) {
		long start = System.nanoTime();
		List<long[]> answers = Flux.range(0, requests)
			.flatMap(i -> create(client, prefix + "-" + i).map(status -> new long[] { status, System.nanoTime() - start }),
					requests)
			.collectList()
			.block();
		double seconds = (System.nanoTime() - start) / 1e9;
		List<Integer> statuses = answers.stream().map(answer -> (int) answer[0]).toList();
		String p99 = counts(statuses).keySet().stream().map(status -> status + "=" + String.format("%.2f",
				p99(answers.stream().filter(answer -> answer[0] == status).mapToLong(answer -> answer[1]).sorted()
					.toArray()) / 1e9))
			.collect(Collectors.joining(","));
		System.out.printf("RESULT sent=%d statuses=%s p99_seconds=%s seconds_to_last=%.2f%n", requests,
				compact(counts(statuses)), p99, seconds);
	}

	private static long p99(long[] sorted) {
		return sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.99) - 1)];
	}

	private static void rounds(HttpClient client, int rounds, int size, String prefix) {
		Map<Integer, Long> total = new TreeMap<>();
		int roundsWithOneCreated = 0;
		for (int round = 0; round < rounds; round++) {
			String login = prefix + "-" + round;
			List<Integer> statuses = Flux.range(0, size).flatMap(i -> create(client, login), size).collectList().block();
			Map<Integer, Long> counts = counts(statuses);
			counts.forEach((status, count) -> total.merge(status, count, Long::sum));
			roundsWithOneCreated += (counts.getOrDefault(201, 0L) == 1) ? 1 : 0;
		}
		System.out.printf("RESULT rounds=%d size=%d statuses=%s rounds_with_exactly_one_201=%d%n", rounds, size, compact(total),
				roundsWithOneCreated);
	}

	private static Mono<Integer> create(HttpClient client, String login) {
		return client.post()
			.uri("/api/customer/")
			.send(ByteBufMono.fromString(Mono.just("{\"login\":\"" + login + "\"}")))
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
			.onErrorReturn(0);
	}

	/** {201=1, 400=19} as 201=1,400=19: one word for bench/run.sh to read. */
	private static String compact(Map<Integer, Long> counts) {
		return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
	}

	private static Map<Integer, Long> counts(List<Integer> statuses) {
		return new TreeMap<>(statuses.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting())));
	}

}
