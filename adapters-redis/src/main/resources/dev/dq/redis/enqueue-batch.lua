#!lua
-- enqueue-batch: add n tasks to one queue, all or none.
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] notify  KEYS[4] enqueued (zset call id -> ms when its proof expires)
-- KEYS[5] tasks (hash id -> data)
-- KEYS[6 .. 17] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- ARGV[1] capacity  ARGV[2] now ms override ('' = Redis TIME; test hook)  ARGV[3] id of this call
-- ARGV[4] how long the proof of this call lives, ms
-- ARGV[5 + 4(i-1) .. 8 + 4(i-1)] id, data (JSON), not-before ms ('' = now), priority 0..9 of task i
-- Replies: 'OK' | 'FULL' | {'DUPLICATE', id}
-- A retry of the same call (same call id) after a lost reply answers 'OK': the first call wrote all or nothing, and
-- its proof lives in KEYS[4], apart from the tasks, so it is still there if workers ran and acked some of them since.
-- A constant number of commands per call, whatever n (one HMGET, HSET per chunk of CHUNK tasks, one RPUSH per chunk and
-- level; one HSET of the levels and one ZADD when some task's level is not 5): Lua's unpack has a stack limit, so long
-- argument lists go in chunks.
-- Uses server_now (_now.lua) and the level functions (_levels.lua), which Script.java puts in front of this text.
local CHUNK = 1000
local LEVELS = 6 -- the first key of the levels' block
local now = server_now(ARGV[2])
local n = (#ARGV - 4) / 4
if n == 0 then return 'OK' end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now) -- forget expired proofs
if redis.call('ZSCORE', KEYS[4], ARGV[3]) then
  -- A write (PEXPIRE to the same TTL), so that a WAIT on this connection covers the applied try too.
  local left = redis.call('PTTL', KEYS[4])
  if left > 0 then redis.call('PEXPIRE', KEYS[4], left) end
  return 'OK'
end
local ids = {}
local seen = {}
for i = 1, n do
  local id = ARGV[5 + 4 * (i - 1)]
  if seen[id] then return {'DUPLICATE', id} end
  seen[id] = true
  ids[i] = id
end
for from = 1, n, CHUNK do
  local to = math.min(n, from + CHUNK - 1)
  local held = redis.call('HMGET', KEYS[5], unpack(ids, from, to))
  for j = 1, #held do
    if held[j] then return {'DUPLICATE', ids[from + j - 1]} end
  end
end
if ready_count(LEVELS) + redis.call('ZCARD', KEYS[2]) + n > tonumber(ARGV[1]) then return 'FULL' end

local ready, ready_levels, delayed = {}, {}, {}
local levels = {}
local mixed = false -- some task's level is not 5
for from = 1, n, CHUNK do
  local to = math.min(n, from + CHUNK - 1)
  local fields = {}
  for i = from, to do
    local b = 5 + 4 * (i - 1)
    fields[#fields + 1] = ARGV[b]
    fields[#fields + 1] = ARGV[b + 1]
    local level = tonumber(ARGV[b + 3])
    levels[i] = level
    if level ~= 5 then mixed = true end
    local due = tonumber(ARGV[b + 2])
    if due ~= nil and due > now then
      delayed[#delayed + 1] = due
      delayed[#delayed + 1] = ARGV[b]
    else
      ready[#ready + 1] = ARGV[b]
      ready_levels[#ready_levels + 1] = level
    end
  end
  redis.call('HSET', KEYS[5], unpack(fields))
  -- Ready ids go in batch order within each level; a batch of default tasks goes to `ready` as it is.
  if #ready > 0 and mixed then
    push_ready(LEVELS, ready, ready_levels, false)
  elseif #ready > 0 then
    redis.call('RPUSH', KEYS[1], unpack(ready))
  end
  ready = {}; ready_levels = {}
  if #delayed > 0 then redis.call('ZADD', KEYS[2], unpack(delayed)); delayed = {} end
end
if mixed then record_levels(LEVELS, ids, levels) end
local wakeups = {}
for i = 1, math.min(n, 64) do wakeups[i] = '1' end
redis.call('RPUSH', KEYS[3], unpack(wakeups))
redis.call('LTRIM', KEYS[3], -64, -1)
local ttl = tonumber(ARGV[4])
redis.call('ZADD', KEYS[4], now + ttl, ARGV[3])
if redis.call('PTTL', KEYS[4]) < ttl then redis.call('PEXPIRE', KEYS[4], ttl) end -- an idle queue's proofs go too
return 'OK'
