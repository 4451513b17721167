#!/bin/sh
# One member of ha/compose.yaml's cluster: the same Patroni configuration as ha/cluster.sh's, filled in for a
# container whose host name is its member name; what differs (addresses, etcd) comes from PATRONI_* variables, which
# Patroni puts above the file.
set -eu
DIR=/var/lib/postgresql/ha
mkdir -p "$DIR"
chown postgres "$DIR"
chmod 700 "$DIR"
sed -e "s|@NAME@|$PATRONI_NAME|g" -e "s|@PG_PORT@|5432|g" -e "s|@REST_PORT@|8008|g" -e "s|@ETCD_PORT@|2379|g" \
	-e "s|@DIR@|$DIR|g" -e "s|@PG_BIN@|/usr/lib/postgresql/15/bin|g" -e "s|@HERE@|/ha|g" \
	-e "s|@NETWORK@|0.0.0.0/0|g" /ha/patroni.yml.template > "$DIR/patroni.yml"
chown postgres "$DIR/patroni.yml"
exec runuser -u postgres -- patroni "$DIR/patroni.yml"
