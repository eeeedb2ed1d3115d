#!lua flags=allow-oom
-- load: read n claimed tasks' data; dead-letter any whose hash is missing its data or whose data is too large.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] dead (zset id -> sequence)  KEYS[4] dead-seq (counter)
-- KEYS[5 .. 4+n] task:<id_i>
-- ARGV[1] largest acceptable data in bytes  ARGV[2 .. 1+n] id_i  ARGV[2+n .. 1+2n] fencing token_i
-- ARGV[2+2n] now ms override ('' = Redis TIME; test hook)
-- Replies: one entry per id, in order: {'OK', data, attempt or false} | {'DEAD', reason} | {'LEASE_LOST'}
-- The size check runs here so that a huge value never travels to the worker.
local n = #KEYS - 4
local now
if ARGV[#ARGV] ~= '' then now = tonumber(ARGV[#ARGV]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
local limit = tonumber(ARGV[1])

local function load(task, id, token)
  if redis.call('HGET', KEYS[2], id) ~= token then return {'LEASE_LOST'} end
  local reason = nil
  if redis.call('HEXISTS', task, 'data') == 0 then
    reason = 'task hash has no data field'
  else
    local len = redis.call('HSTRLEN', task, 'data')
    if len > limit then
      reason = 'data of ' .. len .. ' bytes exceeds the limit of ' .. limit .. ' bytes'
    end
  end
  if reason == nil then
    return {'OK', redis.call('HGET', task, 'data'), redis.call('HGET', task, 'attempt')}
  end
  local attempts = tonumber(redis.call('HGET', task, 'attempt')) or 1
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('HSET', task, 'failure', cjson.encode({
    error_type = 'dq.undecodable', message = reason, attempts = attempts, failed_at_ms = now}))
  redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), id)
  return {'DEAD', reason}
end

local reply = {}
for i = 1, n do
  reply[i] = load(KEYS[4 + i], ARGV[1 + i], ARGV[1 + n + i])
end
return reply
