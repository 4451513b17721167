#!/bin/sh
# Patroni's post_bootstrap: runs once, on the first leader, with a connection string to it.
exec psql "$1" -q -c 'CREATE DATABASE customers'
