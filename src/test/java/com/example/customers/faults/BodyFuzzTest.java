package com.example.customers.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.example.customers.support.CustomerClient;
import com.example.customers.support.Parallel;
import com.example.customers.support.RandomBodies;
import com.example.customers.support.Reply;
import com.example.customers.support.Rows;
import com.example.customers.support.ServiceTest;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.customers.support.CustomerClient.idOf;
import static com.example.customers.support.CustomerClient.uniqueLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random JSON documents and random bytes ({@link RandomBodies}) thrown at create and partial update. Whatever
 * arrives: no 5xx, every error in JSON, exactly one new row per 201, every customer left with a login that some
 * answer reported, and the service still answering. The seed is printed; set -Dfuzz.seed to replay a run.
 */
@ServiceTest
class BodyFuzzTest {

	private static final int BODIES = 400;

	private static final int AT_ONCE = 50;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebTestClient http;

	private final CustomerClient client;

	private final Rows rows;

	@Autowired
	BodyFuzzTest(WebTestClient http, DatabaseClient db) {
		this.http = http;
		this.client = new CustomerClient(http);
		this.rows = new Rows(db);
	}

	@Test
	void randomBodiesNeverBreakTheServiceOrTheTable() {
		long seed = Long.getLong("fuzz.seed", System.nanoTime());
		LogFactory.getLog(BodyFuzzTest.class).info("fuzz seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
		RandomBodies random = new RandomBodies(seed);
		List<byte[]> bodies = IntStream.range(0, BODIES).mapToObj(i -> random.next()).toList();
		List<Reply> originals = Parallel.run(AT_ONCE, i -> this.client.create(uniqueLogin("fuzz-target")));
		List<Long> targets = originals.stream().map(CustomerClient::idOf).toList();
		long rowsBefore = this.rows.total();

		List<Reply> creates = new ArrayList<>();
		List<Reply> patches = new ArrayList<>();
		for (int start = 0; start < BODIES; start += AT_ONCE) {
			List<byte[]> batch = bodies.subList(start, start + AT_ONCE);
			// Patches first: a login a body names is still free then, so that renames really happen.
			patches.addAll(Parallel.run(AT_ONCE,
					i -> send(HttpMethod.PATCH, "/api/customer/" + targets.get(i) + "/", batch.get(i))));
			creates.addAll(Parallel.run(AT_ONCE, i -> send(HttpMethod.POST, "/api/customer/", batch.get(i))));
		}

		LogFactory.getLog(BodyFuzzTest.class).info("fuzz answers: creates " + statusCounts(creates) + ", patches "
				+ statusCounts(patches));
		assertThat(creates).as("create answers, seed %d", seed).allSatisfy(BodyFuzzTest::isAnsweredWithoutServerError);
		assertThat(patches).as("patch answers, seed %d", seed).allSatisfy(BodyFuzzTest::isAnsweredWithoutServerError);
		List<Reply> created = creates.stream().filter(reply -> reply.status() == 201).toList();
		// A quarter of the bodies are documents with a random login, many of them valid: a run in which no rename
		// succeeded checked nothing of what a rename writes. (Creates of those logins mostly find them taken by the
		// renames that ran first.)
		assertThat(patches).as("renames answered 200, seed %d", seed).anyMatch(reply -> reply.status() == 200);
		assertThat(this.rows.total() - rowsBefore).as("new rows, seed %d", seed).isEqualTo(created.size());
		created.forEach(reply -> assertThat(this.client.get("/api/customer/" + idOf(reply) + "/").body()).isEqualTo(reply.body()));
		// Batches run one after another and each patches every target once, so a target's state is its last 200's.
		for (int i = 0; i < AT_ONCE; i++) {
			Reply last = originals.get(i);
			for (int p = i; p < patches.size(); p += AT_ONCE) {
				last = (patches.get(p).status() == 200) ? patches.get(p) : last;
			}
			assertThat(this.client.get("/api/customer/" + targets.get(i) + "/").body())
				.as("customer %d: its last 200, or as created; seed %d", targets.get(i), seed)
				.isEqualTo(last.body());
		}
		assertThat(this.client.get("/api/").status()).isEqualTo(200);
	}

	private static java.util.Map<Integer, Long> statusCounts(List<Reply> replies) {
		return new java.util.TreeMap<>(replies.stream()
			.collect(java.util.stream.Collectors.groupingBy(Reply::status, java.util.stream.Collectors.counting())));
	}

	private Reply send(HttpMethod method, String uri, byte[] body) {
		return CustomerClient.reply(this.http.method(method).uri(uri).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body).exchange().expectBody(String.class).returnResult());
	}

	private static void isAnsweredWithoutServerError(Reply reply) {
		assertThat(reply.status()).as("%s", reply).isBetween(200, 499);
		if (reply.status() >= 400) {
			assertThat(reply.headers().getContentType()).as("%s", reply).isEqualTo(MediaType.APPLICATION_JSON);
			assertThat(json.readTree(reply.body()).isObject()).as("%s", reply).isTrue();
		}
	}

}
