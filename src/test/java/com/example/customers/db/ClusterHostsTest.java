package com.example.customers.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A cluster URL's host text, as R2DBC keeps it: each member with its port, IPv6 addresses in brackets. */
class ClusterHostsTest {

	@Test
	void eachMemberKeepsItsPortOrGetsPostgresOwn() {
		assertThat(ClusterHosts.parse("h1,h2:5433, [::1] ,[::2]:6432"))
			.extracting(ClusterHosts.Member::address)
			.containsExactly("h1:5432", "h2:5433", "[::1]:5432", "[::2]:6432");
		assertThat(ClusterHosts.parse("h2:5433")).containsExactly(new ClusterHosts.Member("h2", 5433));
	}

	@Test
	void onlyAListOfHostsIsACluster() {
		assertThat(ClusterHosts.isList("h1,h2")).isTrue();
		assertThat(ClusterHosts.isList("h1")).isFalse();
		assertThat(ClusterHosts.isList(null)).isFalse();
	}

}
