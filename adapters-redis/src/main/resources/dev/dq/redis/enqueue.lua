-- enqueue: add one task to a queue, ready now or delayed, if the queue has room.
-- KEYS[1] ready   (list of ids)       KEYS[2] delayed (zset id -> due ms)
-- KEYS[3] notify  (list, wakes BLPOP) KEYS[4] task:<id> (hash)
-- KEYS[5] enqueued:<call id> (string, optional): proof that this call was applied, kept for ARGV[6] ms
-- ARGV[1] id  ARGV[2] data (JSON)  ARGV[3] attempt  ARGV[4] not-before ms ('' = now or ARGV[8])
-- ARGV[5] capacity (max ready + delayed)  ARGV[6] how long the proof lives, ms (ignored without KEYS[5])
-- ARGV[7] now ms override ('' = Redis TIME; test hook)  ARGV[8] delay ms after now ('' = none), when ARGV[4] is ''
-- Replies: 'OK' | 'DUPLICATE' | 'FULL'
-- A retry of the same call (same KEYS[5]) after a lost reply answers 'OK', even if a worker ran and acked the task in
-- between: the proof lives apart from the task, for longer than the client retries. Without KEYS[5] (a call by hand,
-- as in docs/redis-data-model.md) a repeat answers 'DUPLICATE' while the task is held.
local proof = KEYS[5]
local now
if ARGV[7] ~= '' then now = tonumber(ARGV[7]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end

if proof and redis.call('EXISTS', proof) == 1 then return 'OK' end
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
if proof then redis.call('SET', proof, '1', 'PX', ARGV[6]) end
return 'OK'
