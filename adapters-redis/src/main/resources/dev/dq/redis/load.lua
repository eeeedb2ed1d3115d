#!lua flags=allow-oom
-- load: read n claimed tasks' data; dead-letter any whose hash is missing its data or whose data is too large.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] dead (zset id -> sequence)  KEYS[4] dead-seq (counter)
-- KEYS[5] claim:<nonce> (the claim's kept reply, deleted: the caller has it)  KEYS[6 .. 5+n] task:<id_i>
-- ARGV[1] largest acceptable data in bytes  ARGV[2 .. 1+n] id_i  ARGV[2+n .. 1+2n] fencing token_i
-- ARGV[2+2n] now ms override ('' = Redis TIME; test hook)
-- Replies: one entry per id, in order: {'OK', data, attempt or false} | {'DEAD', reason} | {'LEASE_LOST'}
-- Every fault of one entry (no hash, a key of another type, no data, too large) dead-letters that entry only.
-- The size check runs here so that a huge value never travels to the worker.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local n = #KEYS - 5
local now = server_now(ARGV[#ARGV])
local limit = tonumber(ARGV[1])

-- Why the entry at task cannot be a task, or nil if it can. A key of another type than hash is turned into a hash
-- the dead-letter queue can read: a string's value becomes its data, any other value is kept as DUMP output.
local function fault(task)
  local kind = redis.call('TYPE', task).ok
  if kind == 'none' then return 'no task hash: no data for this id' end
  if kind ~= 'hash' then
    local reason = 'task key is a ' .. kind .. ', not a hash'
    local value
    if kind == 'string' then value = redis.call('GET', task) else value = redis.call('DUMP', task) end
    redis.call('DEL', task)
    if kind == 'string' then
      redis.call('HSET', task, 'data', value)
    else
      redis.call('HSET', task, 'dump', value)
      reason = reason .. '; its value is kept in the field dump (DUMP format, for RESTORE)'
    end
    return reason
  end
  if redis.call('HEXISTS', task, 'data') == 0 then return 'task hash has no data field' end
  local len = redis.call('HSTRLEN', task, 'data')
  if len > limit then return 'data of ' .. len .. ' bytes exceeds the limit of ' .. limit .. ' bytes' end
  return nil
end

local function load(task, id, token)
  if redis.call('HGET', KEYS[2], id) ~= token then return {'LEASE_LOST'} end
  local reason = fault(task)
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

redis.call('DEL', KEYS[5])
local reply = {}
for i = 1, n do
  reply[i] = load(KEYS[5 + i], ARGV[1 + i], ARGV[1 + n + i])
end
return reply
