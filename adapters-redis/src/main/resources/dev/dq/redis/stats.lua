-- stats: read the three counts of a queue at one instant. Read-only: delayed tasks already due count as ready,
-- although claim.lua moves them only when it next runs.
-- KEYS[1] ready  KEYS[2] active  KEYS[3] delayed
-- KEYS[4 .. 15] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9; ready
--   counts the ids of every level
-- KEYS[16] limit:parked (set of the types with ids held back by a limit; their lists limit:parked:<type> are named
--   from it, same hash tag): held-back ids wait, so ready counts them too
-- ARGV[1] now ms override ('' = Redis TIME; test hook)
-- Replies: {ready, in flight, delayed}
-- Uses server_now (_now.lua) and the level functions (_levels.lua), which Script.java puts in front of this text.
local LEVELS = 4 -- the first key of the levels' block
local now = server_now(ARGV[1])
local PARKED = 16
local due = redis.call('ZCOUNT', KEYS[3], '-inf', now)
local parked = 0
for _, type in ipairs(redis.call('SMEMBERS', KEYS[PARKED])) do
  parked = parked + redis.call('LLEN', KEYS[PARKED] .. ':' .. type)
end
return {ready_count(LEVELS) + due + parked, redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]) - due}
