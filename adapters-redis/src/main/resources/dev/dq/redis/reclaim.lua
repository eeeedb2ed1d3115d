#!lua flags=allow-oom
-- reclaim: make up to limit tasks whose lease expired ready again (tail of their levels' ready lists, same attempt);
-- their tokens die.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] ready  KEYS[4] notify
-- KEYS[5 .. 16] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- KEYS[17] tasks  KEYS[18] attempts  KEYS[19] delayed  KEYS[20] records  KEYS[21] finished  KEYS[22] started
-- KEYS[23] errors  KEYS[24] cancelled
-- ARGV[1] limit  ARGV[2] now ms override ('' = Redis TIME; test hook)
-- Replies: how many expired leases were handled, made ready or ended as cancelled (integer). Atomic, so concurrent reclaimers move each expired task once.
-- Uses server_now (_now.lua), the level functions (_levels.lua) and cancel_end (_cancel.lua), which Script.java puts in
-- front of this text. One HMGET of `cancelled` per call that finds expired leases.
local LEVELS = 5 -- the first key of the levels' block
local now = server_now(ARGV[#ARGV])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
if #ids == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(ids))
redis.call('HDEL', KEYS[2], unpack(ids))
local marks = redis.call('HMGET', KEYS[24], unpack(ids))
local again = {}
for i, id in ipairs(ids) do
  if marks[i] then
    cancel_end({active = KEYS[1], leases = KEYS[2], priorities = KEYS[LEVELS + 1], tasks = KEYS[17],
      attempts = KEYS[18], delayed = KEYS[19], records = KEYS[20], finished = KEYS[21], started = KEYS[22],
      errors = KEYS[23], cancelled = KEYS[24]}, id, now, true)
  else
    again[#again + 1] = id
  end
end
if #again == 0 then return #ids end
redis.call('HDEL', KEYS[22], unpack(again))
push_ready(LEVELS, again, levels_of(LEVELS, again), false)
-- One wake-up per task made ready, so that as many idle workers come for them (64 at most, as enqueue keeps).
local wakeups = {}
for i = 1, math.min(#again, 64) do wakeups[i] = '1' end
redis.call('RPUSH', KEYS[4], unpack(wakeups))
redis.call('LTRIM', KEYS[4], -64, -1)
return #ids
