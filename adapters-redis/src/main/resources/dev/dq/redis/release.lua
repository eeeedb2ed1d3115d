#!lua flags=allow-oom
-- release: hand the task back without spending an attempt; head of its level's ready list if the delay is 0. The task
-- keeps its priority level.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] ready  KEYS[4] delayed  KEYS[5] notify
-- KEYS[6 .. 17] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] delay ms (from the server's now)  ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'LEASE_LOST' (nothing changed)
-- Never checks capacity: a task already accepted is never dropped.
-- Uses server_now (_now.lua), lease_expiry (_lease.lua) and the level functions (_levels.lua), which Script.java puts
-- in front of this text.
local LEVELS = 6 -- the first key of the levels' block
local now = server_now(ARGV[#ARGV])
if not lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now) then return 'LEASE_LOST' end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local delay = tonumber(ARGV[3])
local due = now + delay
if delay > 0 then
  redis.call('ZADD', KEYS[4], due, ARGV[1])
else
  push_ready(LEVELS, {ARGV[1]}, levels_of(LEVELS, {ARGV[1]}), true)
end
redis.call('RPUSH', KEYS[5], '1')
redis.call('LTRIM', KEYS[5], -64, -1)
return 'OK'
