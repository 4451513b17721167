package com.example.customers.db;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The members of a cluster URL ({@code r2dbc:postgresql:failover://h1,h2:5433/db}), which R2DBC keeps as one host
 * text, {@code h1,h2:5433}: each member's host and, if given, its port, in the URL's order.
 */
final class ClusterHosts {

	/** PostgreSQL's port, where a URL names none. */
	static final int POSTGRES_PORT = 5432;

	record Member(String host, @Nullable Integer port) {

		/** {@code host:port}, PostgreSQL's port filled in. */
		String address() {
			return this.host + ":" + ((this.port != null) ? this.port : POSTGRES_PORT);
		}

	}

	private ClusterHosts() {
	}

	static boolean isList(@Nullable String hosts) {
		return hosts != null && hosts.contains(",");
	}

	/** {@code h1}, {@code h1:5433}, {@code [::1]} or {@code [::1]:5433}, comma-separated. */
	static List<Member> parse(String hosts) {
		return Arrays.stream(hosts.split(",")).map(String::trim).map(member -> {
			int lastColon = member.lastIndexOf(':');
			boolean hasPort = lastColon > member.lastIndexOf(']');
			return hasPort ? new Member(member.substring(0, lastColon), Integer.parseInt(member.substring(lastColon + 1)))
					: new Member(member, null);
		}).toList();
	}

}
