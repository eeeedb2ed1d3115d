#!lua
-- cron-upsert: store a schedule; the same spec again changes nothing, its next tick included.
-- KEYS[1] cron (hash name -> spec JSON)  KEYS[2] cron-next (zset name -> next tick ms)
-- ARGV[1] name  ARGV[2] spec JSON (canonical: equal schedules give equal bytes)  ARGV[3] first tick ms
-- Replies: 'CREATED' | 'UPDATED' (spec replaced, next tick reset, paused flag kept) | 'UNCHANGED'
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old == ARGV[2] then return 'UNCHANGED' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if old then return 'UPDATED' end
return 'CREATED'
