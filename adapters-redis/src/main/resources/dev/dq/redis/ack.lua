#!lua flags=allow-oom
-- ack: the task is done; it leaves the queue, and its record (records, finished) is kept for lookup.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] tasks  KEYS[4] attempts
-- KEYS[5] acked (zset call:<nonce> -> ms until which the call is remembered)  KEYS[6] priorities (hash id -> level)
-- KEYS[7] records (hash id -> JSON of a finished task)  KEYS[8] finished (zset id -> finished ms)
-- KEYS[9] started  KEYS[10] errors  KEYS[11] cancelled (hashes by id: deleted for the acked id)
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] nonce of this call  ARGV[4] least ms to remember the ack
-- ARGV[5] head of the task's record, ARGV[6] its tail (see _record.lua; the tail carries the result, if any)
-- ARGV[7] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'LEASE_LOST' (nothing changed)
-- A retry of the same call (same nonce) after a lost reply answers 'OK' if the first try acked; another call with the
-- same lease answers 'LEASE_LOST', as for any lease settled already.
-- Uses server_now (_now.lua), lease_expiry (_lease.lua) and finished_record (_record.lua), which Script.java puts in
-- front of this text.
local now = server_now(ARGV[#ARGV])
local call = 'call:' .. ARGV[3]
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
local exp = lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now)
if not exp then
  if redis.call('ZSCORE', KEYS[5], call) then return 'OK' end
  return 'LEASE_LOST'
end
local started = redis.call('HGET', KEYS[9], ARGV[1])
redis.call('HSET', KEYS[7], ARGV[1], finished_record(ARGV[5], started, now, ARGV[6]))
redis.call('ZADD', KEYS[8], now, ARGV[1])
redis.call('HDEL', KEYS[9], ARGV[1])
redis.call('HDEL', KEYS[10], ARGV[1])
redis.call('HDEL', KEYS[11], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
local keep = math.max(tonumber(ARGV[4]), 3 * (tonumber(exp) - now))
redis.call('ZADD', KEYS[5], now + keep, call)
-- The set itself goes once its last entry is due, so an idle queue does not keep its last window of acks.
if redis.call('PTTL', KEYS[5]) < keep then redis.call('PEXPIRE', KEYS[5], keep) end
return 'OK'
