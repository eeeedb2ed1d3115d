#!lua flags=allow-oom
-- reclaim: make up to limit tasks whose lease expired ready again (tail of their levels' ready lists, same attempt);
-- their tokens die.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] ready  KEYS[4] notify
-- KEYS[5 .. 16] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- ARGV[1] limit  ARGV[2] now ms override ('' = Redis TIME; test hook)
-- Replies: how many were reclaimed (integer). Atomic, so concurrent reclaimers move each expired task once.
-- Uses server_now (_now.lua) and the level functions (_levels.lua), which Script.java puts in front of this text.
local LEVELS = 5 -- the first key of the levels' block
local now = server_now(ARGV[#ARGV])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
if #ids == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(ids))
redis.call('HDEL', KEYS[2], unpack(ids))
push_ready(LEVELS, ids, levels_of(LEVELS, ids), false)
-- One wake-up per task made ready, so that as many idle workers come for them (64 at most, as enqueue keeps).
local wakeups = {}
for i = 1, math.min(#ids, 64) do wakeups[i] = '1' end
redis.call('RPUSH', KEYS[4], unpack(wakeups))
redis.call('LTRIM', KEYS[4], -64, -1)
return #ids
