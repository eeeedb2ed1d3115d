#!lua
-- enqueue: add one task to a queue, ready now or delayed, if the queue has room.
-- KEYS[1] ready   (list of ids)       KEYS[2] delayed (zset id -> due ms)
-- KEYS[3] notify  (list, wakes BLMPOP) KEYS[4] tasks (hash id -> data)
-- KEYS[5] enqueued (zset call id -> ms when its proof expires; optional)
-- ARGV[1] id  ARGV[2] data (JSON)  ARGV[3] not-before ms ('' = now, or ARGV[7])
-- ARGV[4] capacity (max ready + delayed)  ARGV[5] id of this call ('' = none)
-- ARGV[6] now ms override ('' = Redis TIME; test hook)  ARGV[7] delay ms after now ('' = none), when ARGV[3] is ''
-- ARGV[8] how long the proof of this call lives, ms (with KEYS[5] and ARGV[5])
-- KEYS[6 .. 17] and ARGV[9] (optional, needed for a priority other than 5): KEYS[6] levels (zset of the levels other
--   than 5 in use)  KEYS[7] priorities (hash id -> level)  KEYS[8 .. 17] the ready lists of levels 0..9 (KEYS[13] is
--   KEYS[1]); ARGV[9] the task's priority 0..9 ('' or absent = 5). Without them, the capacity check counts the ready
--   ids of level 5 only.
-- KEYS[18 .. 21] and ARGV[10 .. 11] (optional, with KEYS[6 .. 17]; a unique key): KEYS[18] unique (hash key -> id)
--   KEYS[19] unique-of (hash id -> key)  KEYS[20] unique-until (zset key -> ms until which it is held)  KEYS[21] dead;
--   ARGV[10] the unique key ('' = none)  ARGV[11] its window in ms ('' = until the task ends)
-- Replies: 'OK' | 'DUPLICATE' | 'FULL' | {'EXISTS', id} (the unique key is held by task id; nothing changed)
-- A unique key is held while unique[key] names a task that is in `tasks` and not dead, or while its window in
-- unique-until is open; otherwise it is stale and the enqueue takes it over.
-- A retry of the same call (same call id) after a lost reply answers 'OK', even if a worker ran and acked the task in
-- between: the proof that the call was applied lives in KEYS[5], apart from the task, for longer than the client
-- retries. Without a call id (by hand, as in docs/redis-data-model.md) a repeat answers 'DUPLICATE' while the task is
-- held.
-- Self-contained (it reads TIME itself rather than through _now.lua), so that redis-cli --eval runs this file as is.
local calls = KEYS[5]
local call = ARGV[5]
local proof = calls ~= nil and call ~= nil and call ~= ''
local now
if ARGV[6] ~= '' then now = tonumber(ARGV[6]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end

if proof then
  redis.call('ZREMRANGEBYSCORE', calls, '-inf', now) -- forget expired proofs
  if redis.call('ZSCORE', calls, call) then
    -- A write (PEXPIRE to the same TTL), so that a WAIT on this connection covers the applied try too.
    local left = redis.call('PTTL', calls)
    if left > 0 then redis.call('PEXPIRE', calls, left) end
    return 'OK'
  end
end
local ukey = #KEYS >= 21 and ARGV[10] or ''
local holder = false
if ukey ~= '' then
  holder = redis.call('HGET', KEYS[18], ukey)
  if holder then
    local until_ms = redis.call('ZSCORE', KEYS[20], ukey)
    if (until_ms and tonumber(until_ms) > now)
      or (redis.call('HEXISTS', KEYS[4], holder) == 1 and not redis.call('ZSCORE', KEYS[21], holder)) then
      return {'EXISTS', holder}
    end
  end
end
local level = 5
if ARGV[9] and ARGV[9] ~= '' then level = tonumber(ARGV[9]) end
if not level or level < 0 or level > 9 or level % 1 ~= 0 then
  return redis.error_reply('priority must be 0..9: ' .. ARGV[9])
end
local levels = #KEYS >= 17
if level ~= 5 and not levels then return redis.error_reply('priority ' .. level .. ' needs KEYS[6 .. 17]') end
local waiting = redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])
if levels then -- the ready ids of the other levels in use count too
  for _, p in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
    if tonumber(p) ~= 5 then waiting = waiting + redis.call('LLEN', KEYS[8 + tonumber(p)]) end
  end
end
if waiting >= tonumber(ARGV[4]) then
  if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1 then return 'DUPLICATE' end
  return 'FULL'
end
-- The duplicate check is the write: HSETNX stores the data only if the id is not held.
if redis.call('HSETNX', KEYS[4], ARGV[1], ARGV[2]) == 0 then return 'DUPLICATE' end
local due = tonumber(ARGV[3])
if due == nil and ARGV[7] and ARGV[7] ~= '' then due = now + tonumber(ARGV[7]) end
if level ~= 5 then redis.call('HSET', KEYS[7], ARGV[1], level) end -- delays, retries and reclaims keep it
if due ~= nil and due > now then
  redis.call('ZADD', KEYS[2], due, ARGV[1])
elseif level == 5 then
  redis.call('RPUSH', KEYS[1], ARGV[1])
else
  redis.call('RPUSH', KEYS[8 + level], ARGV[1])
  redis.call('ZADD', KEYS[6], level, level)
end
redis.call('RPUSH', KEYS[3], '1')
redis.call('LTRIM', KEYS[3], -64, -1)
if ukey ~= '' then
  if holder and holder ~= ARGV[1] and redis.call('HGET', KEYS[19], holder) == ukey then
    redis.call('HDEL', KEYS[19], holder) -- the stale holder's claim, taken over
  end
  local before = redis.call('HGET', KEYS[19], ARGV[1]) -- this id's key from an earlier run
  if before and before ~= ukey and redis.call('HGET', KEYS[18], before) == ARGV[1] then
    local until_ms = redis.call('ZSCORE', KEYS[20], before)
    if not until_ms or tonumber(until_ms) <= now then
      redis.call('HDEL', KEYS[18], before)
      redis.call('ZREM', KEYS[20], before)
    end
  end
  redis.call('HSET', KEYS[18], ukey, ARGV[1])
  redis.call('HSET', KEYS[19], ARGV[1], ukey)
  if ARGV[11] ~= '' then redis.call('ZADD', KEYS[20], now + tonumber(ARGV[11]), ukey)
  else redis.call('ZREM', KEYS[20], ukey) end
end
if proof then
  local ttl = tonumber(ARGV[8])
  redis.call('ZADD', calls, now + ttl, call)
  if redis.call('PTTL', calls) < ttl then redis.call('PEXPIRE', calls, ttl) end -- an idle queue's proofs go too
end
return 'OK'
