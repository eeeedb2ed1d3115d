#!lua
-- workers: the live worker processes (WorkerRegistry). One global key, outside every queue's slot, so it works
-- on a cluster like dq:limits and dq:retention.
-- KEYS[1] dq:workers (hash: process id -> "<expires ms>|<beat ms>|<status JSON>")
-- ARGV[1] 'beat' | 'drop' | 'list'  ARGV[2] now ms override ('' = Redis TIME; test hook)
-- beat: ARGV[3] id  ARGV[4] ttl ms  ARGV[5] status JSON. Stores the entry, deletes up to 5 random expired ones
--   (so the hash stays bounded even if nobody lists) and keeps the whole key for one ttl after the last beat.
--   -> 1
-- drop: ARGV[3] id -> 1 if it had an entry, else 0
-- list: -> {now ms, id_1, value_1, id_2, value_2, ...}: the entries that expire after now; the expired ones are
--   deleted. One HGETALL: the hash holds the live processes plus those that died since the last beat or list.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local now = server_now(ARGV[2])

local function expires(value)
  return tonumber(string.match(value, '^(%d+)|')) or 0
end

if ARGV[1] == 'beat' then
  local ttl = tonumber(ARGV[4])
  redis.call('HSET', KEYS[1], ARGV[3], (now + ttl) .. '|' .. now .. '|' .. ARGV[5])
  local some = redis.call('HRANDFIELD', KEYS[1], 5, 'WITHVALUES')
  for i = 1, #some, 2 do
    if expires(some[i + 1]) <= now then redis.call('HDEL', KEYS[1], some[i]) end
  end
  if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
  return 1
elseif ARGV[1] == 'drop' then
  return redis.call('HDEL', KEYS[1], ARGV[3])
end
local all = redis.call('HGETALL', KEYS[1])
local out = {now}
for i = 1, #all, 2 do
  if expires(all[i + 1]) <= now then
    redis.call('HDEL', KEYS[1], all[i])
  else
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
