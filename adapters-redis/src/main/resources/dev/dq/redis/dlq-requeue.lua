#!lua
-- dlq-requeue: move one dead entry back to the tail of its level's ready list as attempt 1, if the queue has room.
-- KEYS[1] dead  KEYS[2] failures  KEYS[3] attempts  KEYS[4] ready  KEYS[5] delayed  KEYS[6] notify
-- KEYS[7 .. 18] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- ARGV[1] id  ARGV[2] capacity (max ready + delayed)
-- ARGV[3] highest sequence to move, or '' for any: a bulk requeue passes the highest one dead when it started, so an
--         entry that died again since (it got a new, higher sequence) is left for a later call
-- Replies: 'OK' | 'NOT_FOUND' (not dead, or dead above ARGV[3]) | 'FULL' (the entry stays dead)
-- Uses the level functions (_levels.lua), which Script.java puts in front of this text.
local LEVELS = 7 -- the first key of the levels' block
local seq = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not seq or (ARGV[3] ~= '' and tonumber(seq) > tonumber(ARGV[3])) then return 'NOT_FOUND' end
if ready_count(LEVELS) + redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[2]) then return 'FULL' end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], '1')
push_ready(LEVELS, {ARGV[1]}, levels_of(LEVELS, {ARGV[1]}), false)
redis.call('RPUSH', KEYS[6], '1')
redis.call('LTRIM', KEYS[6], -64, -1)
return 'OK'
