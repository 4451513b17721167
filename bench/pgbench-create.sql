-- The two statements one create runs, straight to PostgreSQL: the existence check and the insert.
\set n random(1, 9000000000000000000)
SELECT EXISTS (SELECT 1 FROM customer WHERE login = 'pgbench-' || :client_id || '-' || :n);
INSERT INTO customer (login) VALUES ('pgbench-' || :client_id || '-' || :n) RETURNING id, login;
