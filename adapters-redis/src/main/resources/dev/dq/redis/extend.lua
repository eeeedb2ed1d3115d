#!lua flags=allow-oom
-- extend: push the lease's expiry to now + lease ms.
-- KEYS[1] active  KEYS[2] leases
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] lease ms  ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: new expiry ms (integer) | 'LEASE_LOST' (nothing changed)
-- Uses server_now (_now.lua) and lease_expiry (_lease.lua), which Script.java puts in front of this text.
local now = server_now(ARGV[#ARGV])
if not lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now) then return 'LEASE_LOST' end
local expiry = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[1])
return expiry
