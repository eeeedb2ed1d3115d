#!lua flags=allow-oom
-- dead-letter: end this delivery and move the task to the dead set with a failure record.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] task:<id>  KEYS[4] dead (zset id -> sequence)  KEYS[5] dead-seq (counter)
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] failure (JSON)  ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'LEASE_LOST' (nothing changed)
-- Dead entries are ordered by a sequence, not by time, so "oldest first" holds within one millisecond too.
local now
if ARGV[#ARGV] ~= '' then now = tonumber(ARGV[#ARGV]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
-- The lease is valid only while leases[id] holds this token and its expiry in active is still ahead.
local exp = redis.call('ZSCORE', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] or not exp or tonumber(exp) <= now then return 'LEASE_LOST' end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'failure', ARGV[3])
redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[1])
return 'OK'
