#!lua flags=allow-oom
-- ack-batch: n tasks are done; forget each whose lease is still valid.
-- KEYS[1] active  KEYS[2] leases  KEYS[3 .. 2+n] task:<id_i>
-- ARGV[1 .. n] id_i  ARGV[n+1 .. 2n] fencing token_i  ARGV[2n+1] now ms override ('' = Redis TIME; test hook)
-- Replies: one integer per id, in order: 1 acked | 0 lease lost (nothing changed for that id)
local n = #KEYS - 2
local now
if ARGV[#ARGV] ~= '' then now = tonumber(ARGV[#ARGV]) else
  local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
local reply = {}
for i = 1, n do
  local id = ARGV[i]
  local exp = redis.call('ZSCORE', KEYS[1], id)
  -- The lease is valid only while leases[id] holds this token and its expiry in active is still ahead.
  if redis.call('HGET', KEYS[2], id) ~= ARGV[n + i] or not exp or tonumber(exp) <= now then
    reply[i] = 0
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('DEL', KEYS[2 + i])
    reply[i] = 1
  end
end
return reply
