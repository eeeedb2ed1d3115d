-- stats: read the three counts of a queue at one instant. Read-only: delayed tasks already due count as ready,
-- although claim.lua moves them only when it next runs.
-- KEYS[1] ready  KEYS[2] active  KEYS[3] delayed
-- KEYS[4 .. 15] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9; ready
--   counts the ids of every level
-- ARGV[1] now ms override ('' = Redis TIME; test hook)
-- Replies: {ready, in flight, delayed}
-- Uses server_now (_now.lua) and the level functions (_levels.lua), which Script.java puts in front of this text.
local LEVELS = 4 -- the first key of the levels' block
local now = server_now(ARGV[1])
local due = redis.call('ZCOUNT', KEYS[3], '-inf', now)
return {ready_count(LEVELS) + due, redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]) - due}
