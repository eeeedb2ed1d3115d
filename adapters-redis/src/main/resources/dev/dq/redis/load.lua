-- load: read a claimed task's data, or dead-letter it when it is missing or too large to decode.
-- KEYS[1] task:<id>  KEYS[2] active  KEYS[3] leases  KEYS[4] dead (zset id -> sequence)  KEYS[5] dead-seq (counter)
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] largest acceptable data in bytes  ARGV[4] now ms override ('' = TIME)
-- Replies: {'OK', data, attempt or false} | {'DEAD', reason} | {'LEASE_LOST'}
-- The size check runs here so that a huge value never travels to the worker.
local now
if ARGV[4] ~= '' then now = tonumber(ARGV[4]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end

if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return {'LEASE_LOST'} end
local reason = nil
if redis.call('HEXISTS', KEYS[1], 'data') == 0 then
  reason = 'task hash has no data field'
else
  local len = redis.call('HSTRLEN', KEYS[1], 'data')
  if len > tonumber(ARGV[3]) then
    reason = 'data of ' .. len .. ' bytes exceeds the limit of ' .. ARGV[3] .. ' bytes'
  end
end
if reason == nil then
  return {'OK', redis.call('HGET', KEYS[1], 'data'), redis.call('HGET', KEYS[1], 'attempt')}
end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempt')) or 1
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'failure', cjson.encode({
  error_type = 'dq.undecodable', message = reason, attempts = attempts, failed_at_ms = now}))
redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[1])
return {'DEAD', reason}
