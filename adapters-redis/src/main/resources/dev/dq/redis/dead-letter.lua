#!lua flags=allow-oom
-- dead-letter: end this delivery and move the task to the dead set with a failure record.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] failures (hash id -> failure JSON)  KEYS[4] dead (zset id -> sequence)  KEYS[5] dead-seq (counter)
-- KEYS[6] started (hash id -> "<ms>|<worker>")  KEYS[7] errors (hash id -> last failure JSON while retrying)
-- KEYS[8] cancelled (hash id -> cancel request ms): a dead task's mark goes, or a requeue of it would end as cancelled
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] failure (JSON)  ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'LEASE_LOST' (nothing changed)
-- Dead entries are ordered by a sequence, not by time, so "oldest first" holds within one millisecond too.
-- Uses server_now (_now.lua) and lease_expiry (_lease.lua), which Script.java puts in front of this text.
local now = server_now(ARGV[#ARGV])
if not lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now) then return 'LEASE_LOST' end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('HDEL', KEYS[8], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[1])
return 'OK'
