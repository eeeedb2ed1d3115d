#!lua flags=allow-oom
-- retry: end this delivery and schedule the next attempt after a delay (tail of its level's ready list if the delay is
-- 0); the task keeps its priority level.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] attempts (hash id -> attempt)  KEYS[4] ready  KEYS[5] delayed  KEYS[6] notify
-- KEYS[7 .. 18] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- KEYS[19] tasks  KEYS[20] records  KEYS[21] finished  KEYS[22] started  KEYS[23] errors  KEYS[24] cancelled (a task
-- marked there, its cancel requested while it ran, ends as cancelled instead: see _cancel.lua)
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] next attempt  ARGV[4] delay ms (from the server's now, so worker clocks do not matter)
-- ARGV[5] failure JSON of the attempt that failed, kept in errors until the task ends ('' = none: errors is left as it
-- is)  ARGV[6] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'CANCELLED' (the task was marked: it ended as cancelled, no next attempt) | 'LEASE_LOST' (nothing
-- changed)
-- Never checks capacity: a task already accepted is never dropped.
-- Uses server_now (_now.lua), lease_expiry (_lease.lua), the level functions (_levels.lua) and cancel_end
-- (_cancel.lua), which Script.java puts in front of this text.
local LEVELS = 7 -- the first key of the levels' block
local now = server_now(ARGV[#ARGV])
if not lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now) then return 'LEASE_LOST' end
if redis.call('HEXISTS', KEYS[24], ARGV[1]) == 1 then
  cancel_end({active = KEYS[1], leases = KEYS[2], attempts = KEYS[3], delayed = KEYS[5], priorities = KEYS[LEVELS + 1],
    tasks = KEYS[19], records = KEYS[20], finished = KEYS[21], started = KEYS[22], errors = KEYS[23],
    cancelled = KEYS[24]}, ARGV[1], now, true)
  return 'CANCELLED'
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('HDEL', KEYS[22], ARGV[1])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[23], ARGV[1], ARGV[5]) end
local delay = tonumber(ARGV[4])
local due = now + delay
if delay > 0 then
  redis.call('ZADD', KEYS[5], due, ARGV[1])
else
  push_ready(LEVELS, {ARGV[1]}, levels_of(LEVELS, {ARGV[1]}), false)
end
redis.call('RPUSH', KEYS[6], '1')
redis.call('LTRIM', KEYS[6], -64, -1)
return 'OK'
