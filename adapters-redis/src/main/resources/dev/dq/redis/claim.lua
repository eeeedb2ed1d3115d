#!lua
-- claim: promote due delayed tasks, then lease up to n of the oldest ready ids. Never blocks.
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] active (zset id -> lease expiry ms)
-- KEYS[4] leases (hash id -> fencing token)  KEYS[5] token-seq (counter)  KEYS[6] notify (wake-up list)
-- KEYS[7] claim:<nonce> (this call's reply, kept for one lease time; the nonce is unique per call)
-- ARGV[1] lease ms  ARGV[2] most delayed tasks to promote  ARGV[3] n, most ids to lease
-- ARGV[4] now ms override ('' = Redis TIME; test hook)
-- Replies: {'OK', expiry ms, id1, token1, id2, token2, ...} | {'EMPTY', ms until the next delayed task is due, or -1}
-- Idempotent: a retry of the same call (same nonce) after a lost reply gets the same leases again, so none is stranded
-- in active under a token nobody holds. load.lua deletes the kept reply once the caller has it.
-- The task hashes are read afterwards by load.lua: their keys depend on the popped ids, and every key goes through KEYS.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local kept = redis.call('GET', KEYS[7])
if kept then return cmsgpack.unpack(kept) end
local now = server_now(ARGV[4])

local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('RPUSH', KEYS[1], id)
end

local ids = redis.call('LPOP', KEYS[1], tonumber(ARGV[3]))
-- Promoted tasks this claim does not take get a wake-up each, so that idle workers come for them now.
local leftover = math.min(#due - (ids and #ids or 0), 64)
if leftover > 0 then
  local wakeups = {}
  for i = 1, leftover do wakeups[i] = '1' end
  redis.call('RPUSH', KEYS[6], unpack(wakeups))
  redis.call('LTRIM', KEYS[6], -64, -1)
end
if not ids then
  local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #nxt == 0 then return {'EMPTY', -1} end
  return {'EMPTY', math.max(0, tonumber(nxt[2]) - now)}
end
local expiry = now + tonumber(ARGV[1])
local reply = {'OK', expiry}
for _, id in ipairs(ids) do
  local token = redis.call('INCR', KEYS[5])
  redis.call('ZADD', KEYS[3], expiry, id)
  redis.call('HSET', KEYS[4], id, token)
  reply[#reply + 1] = id
  reply[#reply + 1] = token
end
redis.call('SET', KEYS[7], cmsgpack.pack(reply), 'PX', tonumber(ARGV[1]))
return reply
