#!lua flags=allow-oom
-- extend: push the lease's expiry to now + lease ms.
-- KEYS[1] active  KEYS[2] leases
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] lease ms  ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: new expiry ms (integer) | 'LEASE_LOST' (nothing changed)
local now
if ARGV[#ARGV] ~= '' then now = tonumber(ARGV[#ARGV]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
-- The lease is valid only while leases[id] holds this token and its expiry in active is still ahead.
local exp = redis.call('ZSCORE', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] or not exp or tonumber(exp) <= now then return 'LEASE_LOST' end
local expiry = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[1])
return expiry
