#!lua flags=allow-oom
-- release: hand the task back without spending an attempt; head of its level's ready list if the delay is 0. The task
-- keeps its priority level.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] ready  KEYS[4] delayed  KEYS[5] notify
-- KEYS[6 .. 17] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- KEYS[18] tasks  KEYS[19] attempts  KEYS[20] records  KEYS[21] finished  KEYS[22] started  KEYS[23] errors
-- KEYS[24] cancelled (a task marked there, its cancel requested while it ran, ends as cancelled instead: _cancel.lua)
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] delay ms (from the server's now)  ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'CANCELLED' (the task was marked: it ended as cancelled) | 'LEASE_LOST' (nothing changed)
-- Never checks capacity: a task already accepted is never dropped.
-- Uses server_now (_now.lua), lease_expiry (_lease.lua), the level functions (_levels.lua) and cancel_end
-- (_cancel.lua), which Script.java puts in front of this text.
local LEVELS = 6 -- the first key of the levels' block
local now = server_now(ARGV[#ARGV])
if not lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now) then return 'LEASE_LOST' end
if redis.call('HEXISTS', KEYS[24], ARGV[1]) == 1 then
  cancel_end({active = KEYS[1], leases = KEYS[2], delayed = KEYS[4], priorities = KEYS[LEVELS + 1], tasks = KEYS[18],
    attempts = KEYS[19], records = KEYS[20], finished = KEYS[21], started = KEYS[22], errors = KEYS[23],
    cancelled = KEYS[24]}, ARGV[1], now, true)
  return 'CANCELLED'
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[22], ARGV[1])
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
