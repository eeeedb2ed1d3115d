#!lua
-- enqueue-batch: add n tasks to one queue, all or none.
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] notify  KEYS[4] enqueued (zset call id -> ms when its proof expires)
-- KEYS[4+i] task:<id of task i>, i = 1..n
-- ARGV[1] capacity  ARGV[2] now ms override ('' = Redis TIME; test hook)  ARGV[3] id of this call
-- ARGV[4] how long the proof of this call lives, ms
-- ARGV[5 + 4(i-1) .. 8 + 4(i-1)] id, data (JSON), attempt, not-before ms ('' = now) of task i
-- Replies: 'OK' | 'FULL' | {'DUPLICATE', id}
-- A retry of the same call (same call id) after a lost reply answers 'OK': the first call wrote all or nothing, and
-- its proof lives in KEYS[4], apart from the tasks, so it is still there if workers ran and acked some of them since.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local now = server_now(ARGV[2])

local n = #KEYS - 4
if n == 0 then return 'OK' end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now) -- forget expired proofs
if redis.call('ZSCORE', KEYS[4], ARGV[3]) then
  -- A write (PEXPIRE to the same TTL), so that a WAIT on this connection covers the applied try too.
  local left = redis.call('PTTL', KEYS[4])
  if left > 0 then redis.call('PEXPIRE', KEYS[4], left) end
  return 'OK'
end
local seen = {}
for i = 1, n do
  local id = ARGV[5 + 4 * (i - 1)]
  if seen[id] or redis.call('EXISTS', KEYS[4 + i]) == 1 then return {'DUPLICATE', id} end
  seen[id] = true
end
if redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2]) + n > tonumber(ARGV[1]) then return 'FULL' end

for i = 1, n do
  local b = 5 + 4 * (i - 1)
  redis.call('HSET', KEYS[4 + i], 'data', ARGV[b + 1], 'attempt', ARGV[b + 2])
end
-- Ready ids go in with one RPUSH per chunk (Lua's unpack has a stack limit), in batch order.
local ready = {}
for i = 1, n do
  local b = 5 + 4 * (i - 1)
  local due = tonumber(ARGV[b + 3])
  if due ~= nil and due > now then
    redis.call('ZADD', KEYS[2], due, ARGV[b])
  else
    ready[#ready + 1] = ARGV[b]
    if #ready == 1000 then
      redis.call('RPUSH', KEYS[1], unpack(ready))
      ready = {}
    end
  end
end
if #ready > 0 then redis.call('RPUSH', KEYS[1], unpack(ready)) end
for i = 1, math.min(n, 64) do redis.call('RPUSH', KEYS[3], '1') end
redis.call('LTRIM', KEYS[3], -64, -1)
local ttl = tonumber(ARGV[4])
redis.call('ZADD', KEYS[4], now + ttl, ARGV[3])
if redis.call('PTTL', KEYS[4]) < ttl then redis.call('PEXPIRE', KEYS[4], ttl) end -- an idle queue's proofs go too
return 'OK'
