-- The schema of a tracefix event store at schema_version 1, exactly as the first release created
-- it. MigrationTest builds a version-1 database from this file and opens it with today's code.
CREATE TABLE schema_version(version INTEGER NOT NULL);
CREATE TABLE captures(
  capture_id VARCHAR PRIMARY KEY,
  host VARCHAR,
  started_at TIMESTAMP,
  ended_at TIMESTAMP,
  probes VARCHAR[],
  event_count BIGINT,
  drop_count BIGINT,
  key_id VARCHAR,
  command_exit_code INTEGER);
CREATE TABLE events(
  capture_id VARCHAR,
  time TIMESTAMP_NS,
  type VARCHAR,
  process_token VARCHAR,
  duration_ns BIGINT,
  bytes BIGINT,
  errno INTEGER,
  errno_name VARCHAR,
  peer_hash VARCHAR,
  key_id VARCHAR);
CREATE TABLE processes(
  capture_id VARCHAR,
  token VARCHAR,
  comm VARCHAR,
  build_id VARCHAR,
  cgroup VARCHAR,
  exe_hash VARCHAR,
  key_id VARCHAR);
CREATE VIEW sendto_calls AS
SELECT e.capture_id, e.time, e.process_token, p.comm, p.build_id, e.duration_ns,
       e.bytes, e.errno, e.errno_name, e.peer_hash
FROM events e
LEFT JOIN processes p ON p.capture_id = e.capture_id AND p.token = e.process_token
WHERE e.type = 'sendto';
INSERT INTO schema_version VALUES (1);
