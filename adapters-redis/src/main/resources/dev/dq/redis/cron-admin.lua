#!lua
-- cron-admin: remove, pause or resume a schedule.
-- KEYS[1] cron  KEYS[2] cron-next  KEYS[3] cron-live  KEYS[4] cron-log:<name>  KEYS[5] cron-paused
-- ARGV[1] 'remove' | 'pause' | 'resume'  ARGV[2] name  ARGV[3] next tick ms (resume only)
-- Replies: 1 (done, or resume of a schedule not paused: nothing changed) | 0 (no such schedule)
local name = ARGV[2]
if redis.call('HEXISTS', KEYS[1], name) == 0 then return 0 end
if ARGV[1] == 'remove' then
  redis.call('HDEL', KEYS[1], name)
  redis.call('ZREM', KEYS[2], name)
  redis.call('HDEL', KEYS[3], name)
  redis.call('DEL', KEYS[4])
  redis.call('SREM', KEYS[5], name)
elseif ARGV[1] == 'pause' then
  redis.call('SADD', KEYS[5], name)
elseif ARGV[1] == 'resume' then
  if redis.call('SREM', KEYS[5], name) == 1 then redis.call('ZADD', KEYS[2], ARGV[3], name) end
end
return 1
