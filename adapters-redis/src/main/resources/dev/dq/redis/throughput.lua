#!lua
-- throughput: a queue's per-minute counts of finished attempts for the last 60 minutes (Throughput).
-- KEYS[1] throughput (hash: "<minute>:p" processed, "<minute>:f" failed, "<minute>:d" dead-lettered, where minute =
--   floor(epoch ms / 60000) of the broker's clock; "trimmed" = the newest minute whose fields were deleted)
-- ARGV[1] 'add' | 'read'  ARGV[2] now ms override ('' = Redis TIME; test hook)
-- add: ARGV[3] processed  ARGV[4] failed  ARGV[5] dead. Adds them to the current minute, deletes the fields of the
--   minutes that left the 60-minute window since the last add (at most 180 minutes back: the key expires 2 h after
--   its last add, so no older field can exist) and keeps the key for 2 h. -> the current minute
-- read: ARGV[3] n (1..60) -> {current minute, p, f, d of minute - n + 1, ..., p, f, d of the current minute}
--   (false where none)
-- Bounded: at most 61 minutes x 3 fields + 1.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local keep = 60
local minute = math.floor(server_now(ARGV[2]) / 60000)

if ARGV[1] == 'read' then
  local n = tonumber(ARGV[3])
  local fields = {}
  for m = minute - n + 1, minute do
    fields[#fields + 1] = m .. ':p'
    fields[#fields + 1] = m .. ':f'
    fields[#fields + 1] = m .. ':d'
  end
  local out = {minute}
  local values = redis.call('HMGET', KEYS[1], unpack(fields))
  for i = 1, #values do out[#out + 1] = values[i] end
  return out
end

local names = {'p', 'f', 'd'}
for i = 1, 3 do
  local n = tonumber(ARGV[2 + i])
  if n > 0 then redis.call('HINCRBY', KEYS[1], minute .. ':' .. names[i], n) end
end
local to = minute - keep
local from = tonumber(redis.call('HGET', KEYS[1], 'trimmed') or '0') + 1
if from < minute - 3 * keep then from = minute - 3 * keep end
if from <= to then
  local old = {}
  for m = from, to do
    old[#old + 1] = m .. ':p'
    old[#old + 1] = m .. ':f'
    old[#old + 1] = m .. ':d'
  end
  redis.call('HDEL', KEYS[1], unpack(old))
  redis.call('HSET', KEYS[1], 'trimmed', to)
end
redis.call('PEXPIRE', KEYS[1], 2 * keep * 60000)
return minute
