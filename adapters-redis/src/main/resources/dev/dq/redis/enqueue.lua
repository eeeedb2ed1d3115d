#!lua
-- enqueue: add one task to a queue, ready now or delayed, if the queue has room.
-- KEYS[1] ready   (list of ids)       KEYS[2] delayed (zset id -> due ms)
-- KEYS[3] notify  (list, wakes BLPOP) KEYS[4] task:<id> (hash)
-- KEYS[5] enqueued (zset call id -> ms when its proof expires; optional)
-- ARGV[1] id  ARGV[2] data (JSON)  ARGV[3] attempt  ARGV[4] not-before ms ('' = now, or ARGV[8])
-- ARGV[5] capacity (max ready + delayed)  ARGV[6] id of this call ('' = none)
-- ARGV[7] now ms override ('' = Redis TIME; test hook)  ARGV[8] delay ms after now ('' = none), when ARGV[4] is ''
-- ARGV[9] how long the proof of this call lives, ms
-- Replies: 'OK' | 'DUPLICATE' | 'FULL'
-- A retry of the same call (same call id) after a lost reply answers 'OK', even if a worker ran and acked the task in
-- between: the proof that the call was applied lives in KEYS[5], apart from the task, for longer than the client
-- retries. Without a call id (by hand, as in docs/redis-data-model.md) a repeat answers 'DUPLICATE' while the task is
-- held.
-- Self-contained (it reads TIME itself rather than through _now.lua), so that redis-cli --eval runs this file as is.
local calls = KEYS[5]
local call = ARGV[6]
local proof = calls ~= nil and call ~= nil and call ~= ''
local now
if ARGV[7] ~= '' then now = tonumber(ARGV[7]) else
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
if redis.call('EXISTS', KEYS[4]) == 1 then return 'DUPLICATE' end
if redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 'FULL' end

redis.call('HSET', KEYS[4], 'data', ARGV[2], 'attempt', ARGV[3])
local due = tonumber(ARGV[4])
if due == nil and ARGV[8] and ARGV[8] ~= '' then due = now + tonumber(ARGV[8]) end
if due ~= nil and due > now then
  redis.call('ZADD', KEYS[2], due, ARGV[1])
else
  redis.call('RPUSH', KEYS[1], ARGV[1])
end
redis.call('RPUSH', KEYS[3], '1')
redis.call('LTRIM', KEYS[3], -64, -1)
if proof then
  local ttl = tonumber(ARGV[9])
  redis.call('ZADD', calls, now + ttl, call)
  if redis.call('PTTL', calls) < ttl then redis.call('PEXPIRE', calls, ttl) end -- an idle queue's proofs go too
end
return 'OK'
