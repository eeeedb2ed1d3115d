-- claim: promote due delayed tasks, then lease the oldest ready id. Never blocks.
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] active (zset id -> lease expiry ms)
-- KEYS[4] leases (hash id -> fencing token)  KEYS[5] token-seq (counter)
-- ARGV[1] lease ms  ARGV[2] most delayed tasks to promote  ARGV[3] now ms override ('' = Redis TIME; test hook)
-- Replies: {'OK', id, token, expiry ms} | {'EMPTY', ms until the next delayed task is due, or -1 if none}
-- The task hash is read afterwards by load.lua: its key depends on the popped id, and every key goes through KEYS.
local now
if ARGV[3] ~= '' then now = tonumber(ARGV[3]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end

local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('RPUSH', KEYS[1], id)
end

local id = redis.call('LPOP', KEYS[1])
if not id then
  local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #nxt == 0 then return {'EMPTY', -1} end
  return {'EMPTY', math.max(0, tonumber(nxt[2]) - now)}
end
local token = redis.call('INCR', KEYS[5])
local expiry = now + tonumber(ARGV[1])
redis.call('ZADD', KEYS[3], expiry, id)
redis.call('HSET', KEYS[4], id, token)
return {'OK', id, token, expiry}
