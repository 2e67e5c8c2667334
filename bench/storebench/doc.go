// Command storebench loads synthetic events into a truce store (SQLite by
// default) and measures ingest throughput and the latency of the queries the
// web page makes: a filtered page of events (type + date range + bbox), the map
// query (every event with coordinates in a bbox), the timeline and a full-text
// search. It prints p50/p99 latencies.
//
//	go run ./bench/storebench -db /tmp/truce-1m.db -events 1000000
//
// An existing database that already holds enough events is reused.
package main
