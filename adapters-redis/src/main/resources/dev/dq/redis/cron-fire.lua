#!lua
-- cron-fire: fire (or miss) one tick of a schedule: check, enqueue and advance in one step, keyed by (name, tick).
-- KEYS[1] cron  KEYS[2] cron-next  KEYS[3] cron-live (hash name -> id of its last run)  KEYS[4] cron-log:<name>
-- KEYS[5] cron-paused (set of names)  KEYS[6] ready  KEYS[7] delayed  KEYS[8] notify  KEYS[9] tasks  KEYS[10] dead
-- KEYS[11 .. 22] the priority levels' block (_levels.lua; capacity counts every level; a run has the default level 5)
-- ARGV[1] name  ARGV[2] spec JSON as the caller read it  ARGV[3] tick ms  ARGV[4] next tick ms
-- ARGV[5] 'fire' | 'miss'  ARGV[6] the run's task id (cron:<name>:<tick ms>)  ARGV[7] the run's data (task JSON)
-- ARGV[8] capacity (max ready + delayed)  ARGV[9] now ms override ('' = Redis TIME; test hook)
-- ARGV[10] overlap ('ALLOW' | 'SKIP')  ARGV[11] history entries kept
-- Replies: 'FIRED' | 'DUPLICATE' | 'SKIPPED' | 'MISSED' (advanced) | 'STALE' | 'EARLY' | 'FULL' (nothing changed)
-- The compare-and-set on cron-next makes one of any number of concurrent callers win a tick; the task write is the
-- one enqueue.lua does (HSETNX tasks, RPUSH ready, a wake-up on notify, capacity).
local name = ARGV[1]
local tick = tonumber(ARGV[3])
local now = server_now(ARGV[9])
if redis.call('HGET', KEYS[1], name) ~= ARGV[2] then return 'STALE' end
if redis.call('SISMEMBER', KEYS[5], name) == 1 then return 'STALE' end
local current = redis.call('ZSCORE', KEYS[2], name)
if not current or tonumber(current) ~= tick then return 'STALE' end
if now < tick then return 'EARLY' end
local id = ARGV[6]
local outcome
if ARGV[5] == 'miss' then
  outcome = 'MISSED'
else
  local live = redis.call('HGET', KEYS[3], name)
  if ARGV[10] == 'SKIP' and live and redis.call('HEXISTS', KEYS[9], live) == 1
      and not redis.call('ZSCORE', KEYS[10], live) then
    outcome = 'SKIPPED'
  elseif redis.call('HEXISTS', KEYS[9], id) == 1 then
    outcome = 'DUPLICATE'
  elseif ready_count(11) + redis.call('ZCARD', KEYS[7]) >= tonumber(ARGV[8]) then
    return 'FULL'
  else
    redis.call('HSETNX', KEYS[9], id, ARGV[7])
    redis.call('RPUSH', KEYS[6], id)
    redis.call('RPUSH', KEYS[8], '1')
    redis.call('LTRIM', KEYS[8], -64, -1)
    redis.call('HSET', KEYS[3], name, id)
    outcome = 'FIRED'
  end
end
redis.call('ZADD', KEYS[2], ARGV[4], name)
redis.call('LPUSH', KEYS[4], ARGV[3] .. ' ' .. outcome .. ' ' .. now .. ' ' .. id)
redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[11]) - 1)
return outcome
